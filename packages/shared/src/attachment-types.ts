// Zod-free on purpose: the web app imports this at runtime (`@touchpoint/shared/attachment-types`), and pulling
// it from the package index would put zod and every contract into the browser bundle.

/** Whether `type` (without parameters) matches an allowed entry (`image/png` or `image/*`). */
export function attachmentTypeAllowed(allowed: readonly string[], type: string): boolean {
  const t = type.split(';')[0]!.trim().toLowerCase();
  return allowed.some((a) => a === t || (a.endsWith('/*') && t.startsWith(a.slice(0, -1))));
}
