// Placeholder: replaced by the profile settings screen.
export default function Section() {
  return null;
}
