// Placeholder: replaced by the account settings screen.
export default function Section() {
  return null;
}
