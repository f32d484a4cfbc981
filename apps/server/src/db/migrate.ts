import { createHash } from 'node:crypto';
import fs from 'node:fs';
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
  // Most boots find the database as the last boot left it: one statement tells, and the rest (~0.2 s on PGlite) is
  // skipped. The fingerprint covers the migrations journal and the SQL below; any change runs everything again.
  const fingerprint = createHash('sha1')
    .update(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json')))
    .update(GRANTS)
    .update(ENQUEUE_FUNCTION)
    .digest('hex');
  const { rows } = await database.pool.query<{ current: boolean }>(
    `select d.description = $1
        and case when exists (select 1 from pg_roles where rolname = '${APP_ROLE}')
                 then pg_has_role(current_user, '${APP_ROLE}', 'member') else false end as current
       from pg_proc p join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass
      where p.proname = 'touchpoint_enqueue'`,
    [fingerprint],
  );
  if (rows[0]?.current) return;
  await database.pool.query(`create extension if not exists pg_trgm`);
  await database.pool.query(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
  await migrate(database.db, { migrationsFolder });
  await database.pool.query(GRANTS);
  await database.pool.query(ENQUEUE_FUNCTION);
  await database.pool.query(`comment on function touchpoint_enqueue(json) is '${fingerprint}'`);
}

const GRANTS = `
  grant ${APP_ROLE} to current_user;
  grant usage on schema public to ${APP_ROLE};
  grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
  grant usage, select on all sequences in schema public to ${APP_ROLE};`;

/**
 * How a tenant transaction enqueues jobs in its own transaction: the tenant role may not touch pg-boss's tables, so
 * it calls this function, which runs as its owner and only inserts rows into pg-boss's job table (the same columns
 * and queue defaults pg-boss's own insert uses; a name without a queue is dropped). Duplicates of a deterministic
 * id (dedupe keys) are ignored. plpgsql, so it can be created before pg-boss installs its schema.
 */
const ENQUEUE_FUNCTION = `
  create or replace function touchpoint_enqueue(jobs json) returns void
  language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
  begin
    insert into pgboss.job (id, name, data, start_after, expire_in, keep_until, retry_limit, retry_delay,
      retry_backoff, policy, dead_letter)
    -- Due "now" is written a millisecond early: PGlite's clock ticks in milliseconds, and pg-boss fetches jobs with
    -- start_after < now(), so a job committed in the poll's own millisecond would wait a whole poll interval.
    select coalesce(j.id, gen_random_uuid()), j.name, j.data, coalesce(j.start_after, now() - interval '1 millisecond'),
      j.expire_in_seconds * interval '1 second',
      coalesce(j.start_after, now()) + coalesce(q.retention_minutes * interval '1 minute', interval '14 days'),
      j.retry_limit, case when j.retry_backoff then greatest(j.retry_delay, 1) else j.retry_delay end,
      j.retry_backoff, q.policy, q.dead_letter
    from json_to_recordset(jobs) as j(id uuid, name text, data jsonb, start_after timestamptz, expire_in_seconds int,
      retry_limit int, retry_delay int, retry_backoff boolean)
    join pgboss.queue q on q.name = j.name
    on conflict do nothing;
  end $fn$;
  revoke all on function touchpoint_enqueue(json) from public;
  grant execute on function touchpoint_enqueue(json) to ${APP_ROLE};`;
