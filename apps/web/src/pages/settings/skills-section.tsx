// Placeholder: replaced by the skills settings screen.
export default function Section() {
  return null;
}
