/**
 * apps/projector as an operator runs it: a separate process, configured only by the environment, follows
 * events appended by another process into the read models and stops cleanly on SIGTERM. Once on the
 * embedded files (LEDGER_DATA_DIR), once on PostgreSQL (events and read models in a throwaway database).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createThrowawayDatabase,
  openPostgresEventStore,
  openSqliteEventStore,
  type EventStore,
} from '@hz/event-store';
import { usccFromPrefix } from '@hz/ledger';
import {
  EVENT_STORE_FILE_NAME,
  openPostgresReadStore,
  READ_MODELS_FILE_NAME,
  SqliteReadStore,
  type ReadStore,
} from '@hz/projections';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');

interface Setup {
  readonly env: Record<string, string>;
  readonly events: EventStore;
  /** The projector's read store as a reader sees it; opened once the projector has created it. */
  openReads(): Promise<ReadStore>;
  /** The projector's description of where it reads and writes. */
  readonly following: RegExp;
  cleanUp(): Promise<void>;
}

async function sqliteSetup(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'projector-app-'));
  const events = await openSqliteEventStore({ file: join(dataDir, EVENT_STORE_FILE_NAME) });
  return {
    env: { LEDGER_DATA_DIR: dataDir, LEDGER_EVENT_STORE: 'sqlite', LEDGER_READ_STORE: 'sqlite' },
    events,
    openReads: async () => new SqliteReadStore(join(dataDir, READ_MODELS_FILE_NAME)),
    following: /following sqlite .*ledger\.db into sqlite .*read-models\.db/,
    cleanUp: async () => {
      await events.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresSetup(): Promise<Setup> {
  const database = await createThrowawayDatabase('ledger_projector');
  const dataDir = mkdtempSync(join(tmpdir(), 'projector-app-'));
  const events = await openPostgresEventStore({ connectionString: database.connectionString });
  return {
    // A data dir with nothing in it: the projector must not fall back to the embedded files.
    env: {
      LEDGER_DATA_DIR: dataDir,
      LEDGER_EVENT_STORE: 'postgres',
      LEDGER_READ_STORE: 'postgres',
      DATABASE_URL: database.connectionString,
    },
    events,
    openReads: () =>
      openPostgresReadStore({ connectionString: database.connectionString, poolSize: 1 }),
    following: new RegExp(
      `following postgres .*/${database.name} schema event_store into postgres .*/${database.name} schema read_models`,
    ),
    cleanUp: async () => {
      await events.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function register(store: EventStore, index: number): Promise<bigint> {
  const uscc = usccFromPrefix(`91330100MA${String(index).padStart(7, '0')}`);
  const key = `smoke-${index}`;
  const metadata = {
    actor: 'admin-1',
    role: 'admin',
    correlationId: key,
    causationId: key,
    idempotencyKey: key,
    occurredAt: new Date().toISOString(),
  };
  const event = {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type: 'ApplicantRegistered',
    data: { uscc, name: `Co ${index}`, district: 'xihu' },
    metadata,
  };
  return (
    await store.appendToStream(`applicant-${uscc}`, [event], { expectedRevision: 'no_stream' })
  ).position;
}

it.each([
  ['SQLite files', sqliteSetup],
  ['PostgreSQL', postgresSetup],
])('follows the log into the read models on %s and stops on SIGTERM', async (_name, makeSetup) => {
  const setup = await makeSetup();
  try {
    await register(setup.events, 1);
    const env = { ...process.env, LEDGER_PROJECTOR: '', DATABASE_URL: '', ...setup.env };
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'main.ts')],
      { cwd: ROOT, env },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await waitFor(
      () => output.includes('following'),
      () => output,
    );
    expect(output).toMatch(setup.following);
    const head = await register(setup.events, 2);
    const reads = await setup.openReads();
    try {
      await waitFor(
        async () => (await reads.activeCheckpoint())?.position === head,
        () => output,
      );
    } finally {
      await reads.close();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain(`stopping at position ${head}`);
  } finally {
    await setup.cleanUp();
  }
});

it('refuses a configuration it cannot use with exit code 2, naming the variable', async () => {
  const env = { ...process.env, LEDGER_EVENT_STORE: 'postgres', DATABASE_URL: '' };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'main.ts')], {
    cwd: ROOT,
    env,
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code).toBe(2);
  expect(output).toContain('DATABASE_URL');
});

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  describe: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out; projector output:\n${describe()}`);
}
