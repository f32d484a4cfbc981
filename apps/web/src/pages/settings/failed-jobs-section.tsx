// Placeholder: replaced by the failed-jobs settings screen.
export default function Section() {
  return null;
}
