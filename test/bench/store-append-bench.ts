/**
 * Store-level CPU per append (issue 12): rounds of 64 concurrent register-like appends (one event plus its
 * idempotency record, group commit) on a SqliteEventStore pre-filled with WARM appends; prints CPU µs per
 * append over the N measured appends and the wall time distribution of a round (one batch, one COMMIT).
 * It also prints the wall time distribution of the batch transactions (inserts, COMMIT, checkpoint).
 * READS=1 also does what the register command does before its append: the record read outside a
 * transaction and the new applicant's empty stream read. V labels the run; PRAGMAS="a=b;c=d" are applied
 * after open; DIR is where the throwaway file goes (default the OS temp directory).
 * Run: node -r @swc-node/register test/bench/store-append-bench.ts
 */
import { SqliteEventStore, type NewEvent, type AppendOptions } from '@hz/event-store';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const variant = process.env.V ?? 'run';
const file = join(process.env.DIR ?? tmpdir(), `store-append-${variant}-${process.pid}.db`);
const store = new SqliteEventStore({ file });
const db = (store as unknown as { db: { pragma(text: string, o?: object): unknown } }).db;
if (process.env.PRAGMAS) for (const p of process.env.PRAGMAS.split(';')) db.pragma(p);
const reads = process.env.READS === '1';
// READS=1: the record read's synchronous work (its statement), timed per call.
const readUs: number[] = [];
const readRecord = store.records.read;
(store.records as { read: typeof readRecord }).read = (key) => {
  const t0 = performance.now();
  const found = readRecord(key);
  readUs.push((performance.now() - t0) * 1000);
  return found;
};
// Each batch transaction's wall time (the inserts, the COMMIT and any checkpoint inside it), timed around
// the group-commit queue's synchronous commitBatch.
const batchMs: number[] = [];
const queue = (store as unknown as { groupCommit: { commitBatch: (r: unknown) => unknown } })
  .groupCommit;
const commitBatch = queue.commitBatch;
queue.commitBatch = (requests: unknown) => {
  const t0 = performance.now();
  const settled = commitBatch(requests);
  batchMs.push(performance.now() - t0);
  return settled;
};

function event(i: number) {
  const uscc = '91330106' + String(i).padStart(10, '0');
  return {
    id: randomUUID(),
    type: 'ApplicantRegistered',
    data: {
      uscc,
      name: 'Hangzhou Test Enterprise ' + i + ' Co., Ltd.',
      district: 'xihu',
      registeredOn: '2026-01-05',
      contact: { person: 'Wang', phone: '13800000000' },
    },
    metadata: {
      actor: 'admin-1',
      role: 'admin',
      idempotencyKey: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      commandHash: 'a'.repeat(64),
      policyVersion: 'hz-2023-9',
      occurredAt: '2026-12-07T10:00:00.000Z',
    },
  };
}

async function one(i: number): Promise<void> {
  const e = event(i);
  const streamId = 'applicant-' + e.data.uscc;
  const key = 'idem:' + randomUUID();
  if (reads) {
    if ((await store.records.read(key)) !== undefined) throw new Error('record exists');
    await store.readStream(streamId).then(
      () => {
        throw new Error('stream exists');
      },
      () => undefined,
    );
  }
  const options = {
    expectedRevision: 'no_stream',
    record: {
      key,
      value: () => ({
        status: 201,
        body: {
          uscc: e.data.uscc,
          name: e.data.name,
          district: 'xihu',
          position: String(i),
          status: 'registered',
          registeredOn: '2026-01-05',
          programs: [],
        },
      }),
    },
  } as unknown as AppendOptions;
  await store.appendToStream(streamId, [e as unknown as NewEvent], options);
}

async function round(start: number, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, k) => one(start + k)));
}

void (async () => {
  let i = 0;
  const warm = Number(process.env.WARM ?? 40000);
  while (i < warm) {
    await round(i, 64);
    i += 64;
  }
  const n = Number(process.env.N ?? 30000);
  batchMs.length = 0;
  readUs.length = 0;
  const rounds: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const end = i + n;
  while (i < end) {
    const r0 = performance.now();
    await round(i, 64);
    rounds.push(performance.now() - r0);
    i += 64;
  }
  const c = process.cpuUsage(c0);
  const w = performance.now() - t0;
  const at = (q: number, of = rounds) =>
    (of[Math.min(of.length - 1, Math.floor(q * of.length))] ?? 0).toFixed(1);
  rounds.sort((a, b) => a - b);
  batchMs.sort((a, b) => a - b);
  readUs.sort((a, b) => a - b);
  console.log(
    variant,
    'cpu us/append',
    ((c.user + c.system) / n).toFixed(1),
    'user',
    (c.user / n).toFixed(1),
    'sys',
    (c.system / n).toFixed(1),
    'wall us/append',
    ((w * 1000) / n).toFixed(1),
    'round ms p50/p99/max',
    at(0.5),
    at(0.99),
    at(1),
    'batch ms p50/p90/p99/max',
    at(0.5, batchMs),
    at(0.9, batchMs),
    at(0.99, batchMs),
    at(1, batchMs),
    'batches',
    batchMs.length,
    ...(reads
      ? ['record read us p50/p90/p99', at(0.5, readUs), at(0.9, readUs), at(0.99, readUs)]
      : []),
  );
  await store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
})();
