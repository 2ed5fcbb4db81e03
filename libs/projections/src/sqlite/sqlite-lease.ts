/**
 * The projector lease (../runner/projector-lease.ts) in the SQLite read-models file: a row with holder,
 * epoch and expiry, on a connection of its own so that a long batch commit does not delay a renewal more
 * than SQLite's single writer requires. Processes share one machine here, so expiry uses its clock.
 */
import Database from 'better-sqlite3';
import { assertFence, type LeaseFence, type ProjectorLease } from '../runner/projector-lease';

export const SQLITE_LEASE_DDL = `CREATE TABLE IF NOT EXISTS projector_lease (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
)`;

export class SqliteProjectorLease implements ProjectorLease {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly holder: string,
    private readonly ttlMs: number,
    private readonly name: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SQLITE_LEASE_DDL);
  }

  async tryAcquire(): Promise<LeaseFence | undefined> {
    return this.db
      .transaction((): LeaseFence | undefined => {
        const now = this.now();
        const row = this.db
          .prepare('SELECT holder, epoch, expires_at_ms FROM projector_lease WHERE name = ?')
          .get(this.name) as { holder: string; epoch: number; expires_at_ms: number } | undefined;
        if (row === undefined) {
          this.db
            .prepare(
              'INSERT INTO projector_lease (name, holder, epoch, expires_at_ms) VALUES (?, ?, 1, ?)',
            )
            .run(this.name, this.holder, now + this.ttlMs);
          return { name: this.name, holder: this.holder, epoch: 1 };
        }
        if (row.holder !== this.holder && row.expires_at_ms > now) return undefined;
        const epoch = Number(row.epoch) + 1;
        this.db
          .prepare(
            'UPDATE projector_lease SET holder = ?, epoch = ?, expires_at_ms = ? WHERE name = ?',
          )
          .run(this.holder, epoch, now + this.ttlMs, this.name);
        return { name: this.name, holder: this.holder, epoch };
      })
      .immediate();
  }

  async renew(fence: LeaseFence): Promise<boolean> {
    const result = this.db
      .prepare(
        'UPDATE projector_lease SET expires_at_ms = ? WHERE name = ? AND holder = ? AND epoch = ?',
      )
      .run(this.now() + this.ttlMs, fence.name, fence.holder, fence.epoch);
    return result.changes === 1;
  }

  async release(fence: LeaseFence): Promise<void> {
    this.db
      .prepare(
        'UPDATE projector_lease SET expires_at_ms = 0 WHERE name = ? AND holder = ? AND epoch = ?',
      )
      .run(fence.name, fence.holder, fence.epoch);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** The fence check inside SqliteReadStore.commit's transaction. */
export function checkSqliteFence(db: Database.Database, fence: LeaseFence): void {
  const row = db
    .prepare('SELECT holder, epoch FROM projector_lease WHERE name = ?')
    .get(fence.name) as { holder: string; epoch: number | bigint } | undefined;
  assertFence(fence, row);
}
