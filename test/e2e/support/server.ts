/**
 * Starts the real ledger-api in-process on an ephemeral port. The store comes from the environment
 * (LEDGER_EVENT_STORE, DATABASE_URL, ...), so the same suite runs against other adapters; by default
 * it is SQLite in a fresh temp dir per spec file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken, AuditLogger, type Role } from '@hz/auth';
import type { RecordedEvent } from '@hz/event-store';
// There is no path alias for the app (apps are not libraries); the suite needs its real entry point.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig, startServer, type StartedServer } from '../../../apps/ledger-api/src';

export interface TestServer {
  readonly server: StartedServer;
  readonly api: string;
  /** Refusal lines the AuditLogger wrote (parsed JSON), for assertions on the audit trail. */
  readonly auditLines: Array<Record<string, unknown>>;
  token(sub: string, roles: Role[], applicant?: string): Promise<string>;
  /** Number of events in the whole log, counted by paging readAll (not only headPosition). */
  eventCount(): Promise<number>;
  /** Every event of the log, in position order. */
  allEvents(): Promise<RecordedEvent[]>;
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const ownDir = process.env['LEDGER_DATA_DIR'] ? undefined : mkdtempSync(join(tmpdir(), 'hz-e2e-'));
  const config = loadConfig({ ...process.env, PORT: '0', LEDGER_HOST: '127.0.0.1', LEDGER_DATA_DIR: ownDir ?? process.env['LEDGER_DATA_DIR'] });
  const server = await startServer(config, { logLevels: ['error'] });
  const auditLines: Array<Record<string, unknown>> = [];
  server.app.get(AuditLogger).useSink((line) => auditLines.push(JSON.parse(line) as Record<string, unknown>));
  const secret = server.jwtSecret;
  if (!secret) throw new Error('the e2e suite mints HS256 tokens: do not set LEDGER_JWKS_URL');
  return {
    server,
    api: server.apiUrl,
    auditLines,
    token: (sub, roles, applicant) => mintToken({ sub, roles, applicant, secret, ttl: 3600 }),
    eventCount: async () => (await readWholeLog(server)).length,
    allEvents: () => readWholeLog(server),
    stop: async () => {
      await server.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

async function readWholeLog(server: StartedServer): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let fromPosition: bigint | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const events = await server.store.readAll({ fromPosition, maxCount: 1000 });
    if (events.length === 0) return all;
    all.push(...events);
    fromPosition = events[events.length - 1]?.position;
  }
  throw new Error('more than 10,000,000 events in an e2e store');
}
