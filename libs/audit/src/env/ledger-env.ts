/**
 * The environment the CLI shares with the service (docs/architecture.md §1): where the data lives and which
 * event store to open. The store itself is opened through the event-store factory, so `ledger verify`
 * reads exactly the store `npm start` writes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEFAULT_DATA_DIR = './data';
export const EVENTS_FILE = 'ledger.db';

export interface LedgerEnv {
  readonly dataDir: string;
  readonly eventStoreKind: string;
  readonly readStoreKind: string;
  readonly env: NodeJS.ProcessEnv;
}

export function ledgerEnvFrom(env: NodeJS.ProcessEnv, cwd: string): LedgerEnv {
  return {
    dataDir: resolve(cwd, env['LEDGER_DATA_DIR'] || DEFAULT_DATA_DIR),
    eventStoreKind: env['LEDGER_EVENT_STORE'] || 'sqlite',
    readStoreKind: env['LEDGER_READ_STORE'] || 'sqlite',
    env,
  };
}

export function sqliteEventsFile(ledgerEnv: LedgerEnv): string {
  return join(ledgerEnv.dataDir, EVENTS_FILE);
}

/** True when there is (probably) a ledger to read; only knowable without connecting for the embedded file. */
export function embeddedLedgerExists(ledgerEnv: LedgerEnv): boolean {
  return ledgerEnv.eventStoreKind !== 'sqlite' || existsSync(sqliteEventsFile(ledgerEnv));
}
