/**
 * apps/projector as an operator runs it: a separate process on LEDGER_DATA_DIR follows events appended
 * by another process into read-models.db, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import { usccFromPrefix } from '@hz/ledger';
import { EVENT_STORE_FILE_NAME, READ_MODELS_FILE_NAME, SqliteReadStore } from '@hz/projections';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');

async function register(store: EventStore, index: number): Promise<bigint> {
  const uscc = usccFromPrefix(`91330100MA${String(index).padStart(7, '0')}`);
  const key = `smoke-${index}`;
  const metadata = { actor: 'admin-1', role: 'admin', correlationId: key, causationId: key, idempotencyKey: key, occurredAt: new Date().toISOString() };
  const event = { id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'ApplicantRegistered', data: { uscc, name: `Co ${index}`, district: 'xihu' }, metadata };
  return (await store.appendToStream(`applicant-${uscc}`, [event], { expectedRevision: 'no_stream' })).position;
}

it('follows the log into the read models and stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'projector-app-'));
  const store = await openSqliteEventStore({ file: join(dataDir, EVENT_STORE_FILE_NAME) });
  try {
    await register(store, 1);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'main.ts')], { cwd: ROOT, env: { ...process.env, LEDGER_DATA_DIR: dataDir } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await waitFor(() => output.includes('following'), () => output);
    const head = await register(store, 2);
    const reads = new SqliteReadStore(join(dataDir, READ_MODELS_FILE_NAME));
    await waitFor(async () => (await reads.activeCheckpoint())?.position === head, () => output);
    await reads.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain(`stopping at position ${head}`);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function waitFor(condition: () => boolean | Promise<boolean>, describe: () => string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out; projector output:\n${describe()}`);
}
