// Placeholder: replaced by the routing settings screen.
export default function Section() {
  return null;
}
