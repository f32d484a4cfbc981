import { like, or, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { accounts } from '../../db/schema';

/** "Café Crème & Co." -> "cafe-creme-co"; an empty result (a name of emoji only) becomes "account". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || 'account';
}

/** The slug itself if free, else the first free `<slug>-<n>` (a lost race surfaces as a unique violation). */
export async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (
      await tx
        .select({ slug: accounts.slug })
        .from(accounts)
        .where(or(eq(accounts.slug, base), like(accounts.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
