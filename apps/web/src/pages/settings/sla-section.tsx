// Placeholder: replaced by the sla settings screen.
export default function Section() {
  return null;
}
