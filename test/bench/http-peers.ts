/**
 * The peers of `npm run bench -- http` (test/bench/http.bench.ts), each a child process with one minimal
 * `node:http` handler, so that the ledger's figures stand beside what this machine allows (issue 12):
 *
 *   none       JSON.parse the body, answer 201: no write at all (the HTTP stack's own ceiling)
 *   ceiling-a  JSON.parse, one better-sqlite3 INSERT per request (its own transaction, so one fsync each)
 *   ceiling-b  JSON.parse, the INSERTs of one event-loop turn in one transaction (group commit), answers
 *              after that commit
 *   emmett     JSON.parse, Emmett's SQLite event store (`@event-driven-io/emmett-sqlite`) appendToStream
 *   nest-express, nest-fastify  a minimal Nest app (DTO validation, a guard, no store) on either adapter
 *              (http-nest-peer.ts): the HTTP adapter side by side
 *
 * Every write goes to the same `events` table the ledger's SQLite adapter creates (its own opener, WAL,
 * the synchronous level asked for), one event per request on a stream of its own, as a registration is.
 *
 *   node -r @swc-node/register test/bench/http-peers.ts <kind> <FULL|NORMAL> <data-dir>
 *   prints `listening <port>` once it accepts connections.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SqliteSynchronous } from '@hz/event-store';
// The adapter's own opener, so the ceilings get the very same table, triggers and pragmas.
import { openDatabase } from '../../libs/event-store/src/sqlite/schema';

export const PEER_KINDS = [
  'none',
  'ceiling-a',
  'ceiling-b',
  'emmett',
  'nest-express',
  'nest-fastify',
] as const;
export type PeerKind = (typeof PEER_KINDS)[number];

type Handler = (body: Record<string, unknown>) => Promise<string>;

interface Row {
  readonly stream: string;
  readonly data: string;
  readonly metadata: string;
}

function rowOf(body: Record<string, unknown>): Row {
  return {
    stream: `applicant-${String(body['uscc'] ?? randomUUID())}`,
    data: JSON.stringify(body),
    metadata: JSON.stringify({ at: new Date().toISOString() }),
  };
}

function sqliteHandler(file: string, synchronous: SqliteSynchronous, grouped: boolean): Handler {
  const db = openDatabase({ file, synchronous, busyTimeoutMs: 10_000 });
  const insert = db.prepare(
    "INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, 0, ?, 'ApplicantRegistered', ?, ?)",
  );
  const insertOne = (row: Row): bigint =>
    BigInt(insert.run(row.stream, randomUUID(), row.data, row.metadata).lastInsertRowid);
  if (!grouped) return (body) => Promise.resolve(String(insertOne(rowOf(body))));
  // Ceiling B: whatever arrived in this turn of the event loop commits together after it (setImmediate).
  let pending: Array<{ row: Row; done: (position: string) => void; fail: (e: unknown) => void }> =
    [];
  const insertAll = db.transaction((batch: typeof pending) =>
    batch.map((entry) => insertOne(entry.row)),
  );
  const flush = (): void => {
    const batch = pending;
    pending = [];
    try {
      const positions = insertAll.immediate(batch);
      batch.forEach((entry, index) => entry.done(String(positions[index])));
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    }
  };
  return (body) =>
    new Promise((done, fail) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ row: rowOf(body), done, fail });
    });
}

async function emmettHandler(file: string): Promise<Handler> {
  const { getSQLiteEventStore } = await import('@event-driven-io/emmett-sqlite');
  // Emmett opens a sqlite3 connection per call (WAL, SQLite's default synchronous=FULL) and shares it
  // while it is open, so its appends are made one after the other: its sequential rate, as in issue 12.
  const store = getSQLiteEventStore({
    fileName: file,
    schema: { autoMigration: 'CreateOrUpdate' },
  });
  let previous: Promise<unknown> = Promise.resolve();
  return (body) => {
    const row = rowOf(body);
    const appended = previous.then(() =>
      store.appendToStream(row.stream, [{ type: 'ApplicantRegistered', data: body }]),
    );
    previous = appended.catch(() => undefined);
    return appended.then((result) => String(result.lastEventGlobalPosition));
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function handlerOf(
  kind: PeerKind,
  synchronous: SqliteSynchronous,
  directory: string,
): Promise<Handler> {
  const file = join(directory, `${kind}-${synchronous}.db`);
  switch (kind) {
    case 'none':
      return () => Promise.resolve('0');
    case 'ceiling-a':
      return sqliteHandler(file, synchronous, false);
    case 'ceiling-b':
      return sqliteHandler(file, synchronous, true);
    case 'emmett':
      return emmettHandler(file);
    case 'nest-express':
    case 'nest-fastify':
      throw new Error(`${kind} is a Nest application of its own (http-nest-peer.ts)`);
  }
}

async function main(): Promise<void> {
  const [kind, synchronous, directory] = process.argv.slice(2);
  if (
    !PEER_KINDS.includes(kind as PeerKind) ||
    (synchronous !== 'FULL' && synchronous !== 'NORMAL')
  )
    throw new Error(`usage: http-peers.ts <${PEER_KINDS.join('|')}> <FULL|NORMAL> <data-dir>`);
  if (kind === 'nest-express' || kind === 'nest-fastify') {
    const { startNestPeer } = await import('./http-nest-peer');
    const port = await startNestPeer(kind === 'nest-express' ? 'express' : 'fastify');
    process.stdout.write(`listening ${port}\n`);
    return;
  }
  const handle = await handlerOf(kind as PeerKind, synchronous, directory ?? '.');
  const server = createServer((request, response) => {
    readBody(request)
      .then((text) => handle(JSON.parse(text) as Record<string, unknown>))
      .then((position) => answer(response, 201, { position }))
      .catch((error: unknown) => answer(response, 500, { error: String(error) }));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
