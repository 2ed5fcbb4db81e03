/**
 * Starts the real ledger-api in-process on an ephemeral port. The store comes from the environment
 * (LEDGER_EVENT_STORE, DATABASE_URL, ...), so the same suite runs against other adapters; by default
 * it is SQLite in a fresh temp dir per spec file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client as PgClient } from 'pg';
import { PROJECTION_RUNNER } from '@hz/api';
import { mintToken, AuditLogger, type Role } from '@hz/auth';
import {
  POSTGRES_DEFAULT_SCHEMA,
  SQLITE_EVENT_STORE_FILE_NAME,
  type RecordedEvent,
} from '@hz/event-store';
import type { ProjectionSupervisor } from '@hz/projections';
// There is no path alias for the app (apps are not libraries); the suite needs its real entry point.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  loadConfig,
  startServer,
  type ServerOptions,
  type StartedServer,
} from '../../../apps/ledger-api/src';

export interface TestServer {
  readonly server: StartedServer;
  readonly api: string;
  readonly dataDir: string;
  /** Refusal lines the AuditLogger wrote (parsed JSON), for assertions on the audit trail. */
  readonly auditLines: Array<Record<string, unknown>>;
  token(sub: string, roles: Role[], applicant?: string): Promise<string>;
  /** Number of events in the whole log, counted by paging readAll (not only headPosition). */
  eventCount(): Promise<number>;
  /** Every event of the log, in position order. */
  allEvents(): Promise<RecordedEvent[]>;
  /**
   * headPosition of the idempotency store, once the server is settled (see settled()). On SQLite and
   * PostgreSQL that is the event store itself (records are rows beside the log and move no position),
   * so there it says no event was appended; only on EventStoreDB does it count records.
   */
  idempotencyHead(): Promise<bigint>;
  /**
   * Rows of the event store's `records` table (the idempotency records beside the log, issue 12), counted
   * with SQL as an operator would, once the server is settled; undefined on EventStoreDB, whose records
   * live elsewhere (idempotencyHead counts them there).
   */
  recordCount(): Promise<number | undefined>;
  /**
   * Resolves once the in-process projector has caught up with the log. Every count and read above waits
   * for it: the PostgreSQL adapter shows an event in readAll/headPosition only once every older write
   * transaction in the database has ended, and the projector's batch commits are such transactions, so
   * a test reading right after its own write could otherwise miss it. Once the projector is idle, the
   * test's own requests are the only writers, and they have all finished.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /**
   * Start another replica on the same stores (data dir, database) as this server, the way the docker
   * stacks run two ledger-api behind a load balancer; the replica leaves projecting to the first one.
   */
  readonly replicaOf?: TestServer;
  /** Extra environment variables for this server (e.g. LEDGER_WRITE_QUEUE_LIMIT). */
  readonly env?: Readonly<Record<string, string>>;
  /** Passed to startServer: an injected clock, a policy schedule (the amendment spec). */
  readonly server?: Pick<ServerOptions, 'clock' | 'policies'>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const sharedDir = options.replicaOf?.dataDir ?? process.env['LEDGER_DATA_DIR'];
  const ownDir = sharedDir ? undefined : mkdtempSync(join(tmpdir(), 'hz-e2e-'));
  const dataDir = ownDir ?? (sharedDir as string);
  const projector = options.replicaOf ? { LEDGER_PROJECTOR: 'external' } : {};
  const config = loadConfig({
    ...process.env,
    ...projector,
    ...options.env,
    PORT: '0',
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: dataDir,
  });
  const server = await startServer(config, { ...options.server, logLevels: ['error'] });
  const auditLines: Array<Record<string, unknown>> = [];
  server.app
    .get(AuditLogger)
    .useSink((line) => auditLines.push(JSON.parse(line) as Record<string, unknown>));
  const secret = server.jwtSecret;
  if (!secret) throw new Error('the e2e suite mints HS256 tokens: do not set LEDGER_JWKS_URL');
  return {
    server,
    api: server.apiUrl,
    dataDir: config.dataDir,
    auditLines,
    token: (sub, roles, applicant) => mintToken({ sub, roles, applicant, secret, ttl: 3600 }),
    eventCount: async () => (await readWholeLog(server)).length,
    allEvents: () => readWholeLog(server),
    idempotencyHead: async () => {
      await settle(server);
      return server.idempotencyStore.headPosition();
    },
    recordCount: async () => {
      await settle(server);
      return countRecords(config.eventStore, config.dataDir, config.databaseUrl);
    },
    settled: () => settle(server),
    stop: async () => {
      await server.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

const SETTLE_WAIT_MS_MAX = 15_000;
const SETTLE_POLL_MS = 10;

async function settle(server: StartedServer): Promise<void> {
  let projector: ProjectionSupervisor;
  try {
    projector = server.app.get<ProjectionSupervisor>(PROJECTION_RUNNER, { strict: false });
  } catch {
    return; // LEDGER_PROJECTOR=external: nothing in this process writes on its own.
  }
  let head = 0n;
  for (let waited = 0; waited <= SETTLE_WAIT_MS_MAX; waited += SETTLE_POLL_MS) {
    head = await server.store.headPosition();
    const checkpoint = projector.status().checkpoint;
    if (checkpoint !== undefined && checkpoint >= head) return;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
  throw new Error(
    `the in-process projector did not reach position ${head} within ${SETTLE_WAIT_MS_MAX} ms: ${JSON.stringify(projector.status(), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`,
  );
}

async function readWholeLog(server: StartedServer): Promise<RecordedEvent[]> {
  await settle(server);
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

async function countRecords(
  kind: string,
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<number | undefined> {
  if (kind === 'sqlite') {
    const db = new Database(join(dataDir, SQLITE_EVENT_STORE_FILE_NAME), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  if (kind !== 'postgres' || databaseUrl === undefined) return undefined;
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${POSTGRES_DEFAULT_SCHEMA}".records`,
    );
    return Number(result.rows[0]?.n);
  } finally {
    await client.end();
  }
}
