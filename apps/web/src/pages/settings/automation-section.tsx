// Placeholder: replaced by the automation settings screen.
export default function Section() {
  return null;
}
