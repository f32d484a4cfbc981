// Placeholder: replaced by the channels settings screen.
export default function Section() {
  return null;
}
