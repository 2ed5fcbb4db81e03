/**
 * The environment the CLI shares with the service (docs/architecture.md §1): where the data lives and which
 * stores to open, by the names and defaults of the one schema (@hz/config). The stores themselves are opened
 * through the event-store factory and the projections' config, so `ledger verify` reads exactly the store
 * `npm start` writes, and a bad value gets the same message there.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SQLITE_EVENT_STORE_FILE_NAME } from '@hz/event-store';
import { givenText, textOrDefault, type Environment } from '@hz/config';
import { HZ_CBEC_2023 } from '@hz/policy';

export interface LedgerEnv {
  /** LEDGER_DATA_DIR, resolved against the CLI's working directory. */
  readonly dataDir: string;
  /** LEDGER_EVENT_STORE and LEDGER_READ_STORE as given (the store libraries validate them). */
  readonly eventStoreKind: string;
  readonly readStoreKind: string;
  /** LEDGER_COUNTERSIGN_THRESHOLD, else the catalog's: what `ledger demo` and `ledger command` decide with. */
  readonly countersignThreshold: string;
  /** The rest of the environment, read once by the CLI's entry point and handed on. */
  readonly env: Environment;
}

export function ledgerEnvFrom(env: Environment, cwd: string): LedgerEnv {
  return {
    dataDir: resolve(cwd, textOrDefault(env, 'LEDGER_DATA_DIR') ?? '.'),
    eventStoreKind: textOrDefault(env, 'LEDGER_EVENT_STORE') ?? 'sqlite',
    readStoreKind: textOrDefault(env, 'LEDGER_READ_STORE') ?? 'sqlite',
    countersignThreshold:
      givenText(env, 'LEDGER_COUNTERSIGN_THRESHOLD') ??
      HZ_CBEC_2023.countersignThreshold.toString(),
    env,
  };
}

export function sqliteEventsFile(ledgerEnv: LedgerEnv): string {
  return join(ledgerEnv.dataDir, SQLITE_EVENT_STORE_FILE_NAME);
}

/** True when there is (probably) a ledger to read; only knowable without connecting for the embedded file. */
export function embeddedLedgerExists(ledgerEnv: LedgerEnv): boolean {
  return ledgerEnv.eventStoreKind !== 'sqlite' || existsSync(sqliteEventsFile(ledgerEnv));
}
