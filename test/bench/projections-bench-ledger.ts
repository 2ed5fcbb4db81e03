/**
 * Writes a generated ledger straight into a SQLite event store file (the adapter's own schema, canonical
 * JSON and hash chain), in big transactions: a generator, not the command path, so a million events take
 * seconds instead of an hour of appends.
 */
import Database from 'better-sqlite3';
import { canonicalJson, openSqliteEventStore } from '@hz/event-store';
import {
  chainNext,
  generateLedger,
  type ChainHeads,
  seededRandom,
  type LedgerGeneratorOptions,
} from '../../libs/projections/src/testing';

export interface BenchLedger {
  readonly events: number;
  readonly firstRecordedMs: number;
  readonly lastRecordedMs: number;
  readonly seconds: number;
}

const TRANSACTION_EVENTS = 20_000;

export async function writeBenchLedger(
  file: string,
  count: number,
  seed: number,
  options: LedgerGeneratorOptions = {},
): Promise<BenchLedger> {
  const started = process.hrtime.bigint();
  // Let the adapter create its schema (and user_version), then write rows directly.
  await (await openSqliteEventStore({ file })).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const heads: ChainHeads = new Map();
  let written = 0;
  let firstRecordedMs = 0;
  let lastRecordedMs = 0;
  const generator = generateLedger(seededRandom(seed), options);
  const writeSome = db.transaction((limit: number) => {
    for (let index = 0; index < limit; index += 1) {
      const next = generator.next();
      if (next.done) return;
      const event = next.value;
      const data = event.data as never;
      const { revision, metadata } = chainNext(heads, event, data);
      insert.run(
        event.streamId,
        revision,
        event.id,
        event.type,
        canonicalJson(data),
        canonicalJson(metadata),
      );
      lastRecordedMs = Date.parse(event.recordedAt);
      if (written === 0) firstRecordedMs = lastRecordedMs;
      written += 1;
    }
  });
  while (written < count) writeSome(Math.min(TRANSACTION_EVENTS, count - written));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    events: written,
    firstRecordedMs,
    lastRecordedMs,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}
