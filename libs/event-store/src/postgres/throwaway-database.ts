/**
 * A fresh database per test run or bench, dropped at the end, so runs never see each other's events.
 * The server is the developer's or CI's local PostgreSQL (trust auth on 127.0.0.1:5432); override the
 * administrative connection with LEDGER_TEST_POSTGRES_URL.
 */
import { Client } from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  readonly name: string;
  readonly connectionString: string;
  /** Drops the database, first ending any session still connected to it. */
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(
  prefix = 'ledger_test',
  adminUrl: string = process.env['LEDGER_TEST_POSTGRES_URL'] ?? DEFAULT_ADMIN_URL,
): Promise<ThrowawayDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix))
    throw new RangeError(`database prefix ${prefix} must be a short lower-case identifier`);
  const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    connectionString: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withAdmin(
  adminUrl: string,
  work: (admin: Client) => Promise<unknown>,
): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
