// Placeholder: replaced by the business-hours settings screen.
export default function Section() {
  return null;
}
