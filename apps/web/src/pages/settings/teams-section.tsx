// Placeholder: replaced by the teams settings screen.
export default function Section() {
  return null;
}
