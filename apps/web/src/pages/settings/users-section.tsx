// Placeholder: replaced by the users settings screen.
export default function Section() {
  return null;
}
