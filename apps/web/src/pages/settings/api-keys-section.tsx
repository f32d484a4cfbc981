// Placeholder: replaced by the api-keys settings screen.
export default function Section() {
  return null;
}
