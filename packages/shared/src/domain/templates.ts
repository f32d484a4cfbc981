/**
 * Macro and reply templates: `{{customer.first_name}}` style placeholders, rendered by plain string substitution
 * (no expressions, no eval). Values are inserted as text; the message body is plain text, so an HTML or
 * `<script>` value in a customer's name stays inert text.
 */
export const TEMPLATE_VARIABLES = [
  'customer.name',
  'customer.first_name',
  'customer.email',
  'agent.name',
  'agent.first_name',
  'conversation.number',
  'conversation.subject',
  'account.name',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string | number | null | undefined>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

/** Every placeholder name used in a template, in order of first use. */
export function templateVariables(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/** Placeholders that are not known variables (rejected when a macro is saved). */
export function unknownTemplateVariables(template: string): string[] {
  return templateVariables(template).filter((v) => !KNOWN.has(v));
}

/** The first word of a name ("Dana Q. Customer" -> "Dana"). */
export function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}

/** Replaces known placeholders; a missing value renders as ''. Unknown placeholders are left as written. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!KNOWN.has(name)) return whole;
    const v = values[name as TemplateVariable];
    return v === null || v === undefined ? '' : String(v);
  });
}
