/**
 * Wakes live subscriptions when another process (or this one) commits an append: every append runs
 * pg_notify(channel, position) in its transaction, and PostgreSQL delivers it at commit. One LISTEN
 * connection per store serves all its subscriptions. Notifications can be lost (connection drop,
 * restart), and a reader can also be held back by a transaction that sends none, so subscriptions poll
 * too; LISTEN only makes the common case fast.
 */
import type { Pool, PoolClient } from 'pg';
import { AppendNotifier } from '../catch-up-subscription';

export class AppendListener {
  readonly notifier = new AppendNotifier();
  private readonly callbacks = new Set<() => void>();
  private client: PoolClient | undefined;
  private starting: Promise<void> | undefined;
  private lastAttemptMs = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    /** After a failed or lost connection, LISTEN is retried at most this often; polling covers the gap. */
    private readonly retryIntervalMs: number,
  ) {}

  /** Registers a callback run on every notification; returns the unregister function. */
  onNotification(callback: () => void): () => void {
    this.callbacks.add(callback);
    return () => this.callbacks.delete(callback);
  }

  /** Resolves once LISTEN is active, or has failed (never throws: polling is the fallback). */
  async ensureListening(): Promise<void> {
    if (this.client !== undefined || this.closed) return;
    if (this.starting === undefined) {
      if (Date.now() - this.lastAttemptMs < this.retryIntervalMs) return;
      this.lastAttemptMs = Date.now();
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    await this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    this.notifier.notifyAll();
    this.drop(undefined);
  }

  private async start(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', this.handleNotification);
      client.on('error', this.handleError);
      await client.query(`LISTEN "${this.channel}"`);
    } catch {
      if (client !== undefined) this.release(client, new Error('LISTEN failed'));
      return;
    }
    if (this.closed) return this.release(client, undefined);
    this.client = client;
  }

  private readonly handleNotification = (): void => {
    for (const callback of this.callbacks) callback();
    this.notifier.notifyAll();
  };

  private readonly handleError = (error: Error): void => {
    // The connection is gone; every subscription falls back to polling until a later ensureListening.
    this.drop(error);
    this.notifier.notifyAll();
  };

  private drop(error: Error | undefined): void {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) this.release(client, error);
  }

  private release(client: PoolClient, error: Error | undefined): void {
    client.off('notification', this.handleNotification);
    // Keep an error handler on the released client: a late socket error must not crash the process.
    client.off('error', this.handleError);
    client.on('error', () => undefined);
    // Destroy rather than return it to the pool: a pooled connection must not keep LISTENing.
    client.release(error ?? true);
  }
}
