/**
 * The `notify: 'after-commit'` mode. pg_notify inside the append transaction makes PostgreSQL take a
 * database-wide lock from pre-commit until the commit record is flushed, so appends that notify commit
 * one at a time (no group commit); measured here, that halves throughput with 8–16 writers. After
 * commit, a separate statement without an xid holds that lock for microseconds instead. The price: a
 * crash between COMMIT and the notification loses the wake-up, which the subscription's poll covers.
 * Announcements coalesce: at most one is in flight, and appends meanwhile are covered by one more.
 */
import type { Pool } from 'pg';

export class AppendAnnouncer {
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
  ) {}

  /** Queues one notification; never throws (a lost notification only delays subscribers to their poll). */
  announce(): void {
    if (this.inFlight !== undefined) {
      this.again = true;
      return;
    }
    this.inFlight = this.send();
  }

  /** Waits for the notification in flight, if any: call before ending the pool. */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  private async send(): Promise<void> {
    // Bounded: each round is triggered by appends that finished during the previous one.
    for (let round = 0; round < 1_000_000; round += 1) {
      this.again = false;
      await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
      if (!this.again) break;
    }
    this.inFlight = undefined;
  }
}
