// Placeholder: replaced by the macros settings screen.
export default function Section() {
  return null;
}
