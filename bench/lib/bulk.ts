import type pg from 'pg';

export type ColumnType = 'uuid' | 'text' | 'int4' | 'bool' | 'timestamptz';

/**
 * Buffers rows column-wise and writes them as one `INSERT ... SELECT FROM unnest($1::uuid[], ...)` per batch:
 * one statement and one parameter per column whatever the batch size, and it works unchanged over
 * pglite-socket, where node-postgres has no COPY FROM STDIN without another dependency. Up to two batches are
 * in flight, so native PostgreSQL uses both cores while this process builds the next batch.
 */
export class BulkInsert {
  private readonly names: string[];
  private readonly sql: string;
  private buffer: unknown[][];
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;
  rows = 0;
  /** Runs before each batch is written (to drain the batches of a table this one references). */
  before?: () => Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    table: string,
    columns: Record<string, ColumnType>,
    private readonly batchSize = 2_000,
    private readonly maxInFlight = 2,
  ) {
    this.names = Object.keys(columns);
    const casts = Object.values(columns).map((type, i) => `$${i + 1}::${type}[]`);
    this.sql = `insert into ${table} (${this.names.join(', ')}) select * from unnest(${casts.join(', ')})`;
    this.buffer = this.names.map(() => []);
  }

  /** Adds one row (values in column order); writes a batch when the buffer is full. */
  async add(values: unknown[]): Promise<void> {
    for (let i = 0; i < this.names.length; i++) this.buffer[i]!.push(values[i] ?? null);
    if (this.buffer[0]!.length >= this.batchSize) await this.flush();
  }

  /** Sends the buffered rows; waits only when too many batches are already in flight. */
  async flush(): Promise<void> {
    const count = this.buffer[0]!.length;
    if (count === 0) return;
    await this.before?.();
    const params = this.buffer;
    this.buffer = this.names.map(() => []);
    const write = this.pool.query(this.sql, params).then(
      () => void (this.rows += count),
      (err: unknown) => void (this.failure ??= err),
    );
    this.inFlight.push(write);
    if (this.inFlight.length >= this.maxInFlight) await this.inFlight.shift();
    this.check();
  }

  /** Writes everything buffered and waits until every batch is stored. */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
    this.inFlight = [];
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
