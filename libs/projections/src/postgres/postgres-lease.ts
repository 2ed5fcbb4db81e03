/**
 * The projector lease (../runner/projector-lease.ts) in the PostgreSQL read schema: a row with holder,
 * epoch and expiry, taken and renewed on a pool of its own. Expiry uses the database's clock
 * (clock_timestamp()), so projectors on different machines never compare their own clocks. The fence
 * check in a batch commit reads the row FOR SHARE: a takeover (an UPDATE of that row) waits for an
 * in-flight commit of the old leader, and every later commit of the old leader fails.
 */
import { Pool, type PoolClient } from 'pg';
import { assertFence, type LeaseFence, type ProjectorLease } from '../runner/projector-lease';
import { assertSchemaName } from './schema-name';

function leaseTable(schema: string): string {
  return `"${assertSchemaName(schema)}".projector_lease`;
}

export function postgresLeaseDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${leaseTable(schema)} (
    name text PRIMARY KEY,
    holder text NOT NULL,
    epoch bigint NOT NULL,
    expires_at timestamptz NOT NULL
  )`;
}

export class PostgresProjectorLease implements ProjectorLease {
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly holder: string,
    private readonly ttlMs: number,
    private readonly name: string,
  ) {
    this.table = leaseTable(schema);
  }

  static async open(options: {
    connectionString: string;
    schema: string;
    holder: string;
    ttlMs: number;
    name: string;
  }): Promise<PostgresProjectorLease> {
    // Short timeouts: a renewal that hangs longer than the TTL is worthless anyway.
    const pool = new Pool({
      connectionString: options.connectionString,
      max: 2,
      connectionTimeoutMillis: options.ttlMs,
      statement_timeout: options.ttlMs,
    });
    pool.on('error', () => undefined);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${assertSchemaName(options.schema)}"`);
    await pool.query(postgresLeaseDdl(options.schema));
    return new PostgresProjectorLease(
      pool,
      options.schema,
      options.holder,
      options.ttlMs,
      options.name,
    );
  }

  async tryAcquire(): Promise<LeaseFence | undefined> {
    const { rows } = await this.pool.query<{ epoch: string }>(
      `INSERT INTO ${this.table} AS l (name, holder, epoch, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, epoch = l.epoch + 1, expires_at = EXCLUDED.expires_at
       WHERE l.expires_at < clock_timestamp() OR l.holder = EXCLUDED.holder
       RETURNING epoch`,
      [this.name, this.holder, this.ttlMs],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { name: this.name, holder: this.holder, epoch: Number(row.epoch) };
  }

  async renew(fence: LeaseFence): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.table} SET expires_at = clock_timestamp() + $4 * interval '1 millisecond' WHERE name = $1 AND holder = $2 AND epoch = $3`,
      [fence.name, fence.holder, fence.epoch, this.ttlMs],
    );
    return result.rowCount === 1;
  }

  async release(fence: LeaseFence): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table} SET expires_at = '-infinity' WHERE name = $1 AND holder = $2 AND epoch = $3`,
      [fence.name, fence.holder, fence.epoch],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The fence check inside PostgresReadStore.commit's transaction. */
export async function checkPostgresFence(
  client: PoolClient,
  schema: string,
  fence: LeaseFence,
): Promise<void> {
  const { rows } = await client.query<{ holder: string; epoch: string }>(
    `SELECT holder, epoch FROM ${leaseTable(schema)} WHERE name = $1 FOR SHARE`,
    [fence.name],
  );
  assertFence(fence, rows[0]);
}
