import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';

export const APP_ROLE = 'touchpoint_app';
const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies the generated SQL migrations (identical on PGlite and PostgreSQL), then makes sure the
 * non-superuser role that tenant transactions switch to exists and may use every table.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.pool.query(`create extension if not exists pg_trgm`);
  await database.pool.query(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
  await migrate(database.db, { migrationsFolder });
  await database.pool.query(`
    grant ${APP_ROLE} to current_user;
    grant usage on schema public to ${APP_ROLE};
    grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
    grant usage, select on all sequences in schema public to ${APP_ROLE};`);
}
