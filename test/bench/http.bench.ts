/**
 * `npm run bench -- http` (issue 12), figures only, no assertions: the real service under 64 connections
 * (autocannon) beside, in the same run, the ceilings of this machine and Emmett's SQLite store behind the
 * same minimal handler (test/bench/http-peers.ts):
 *
 *   service    apps/ledger-api/src/main.ts, the entry `npm start` runs, in a child process on a fresh store:
 *              SQLite synchronous=FULL, SQLite NORMAL, PostgreSQL (a throwaway database); JWT, validation,
 *              idempotency record and append as in production (rate limit off, log level warn)
 *     register   POST /api/v1/applicants, a unique USCC each (one new stream)
 *     submit     POST /api/v1/claims by the applicants just registered (c4-brand-promotion, 2024)
 *     approve    POST /api/v1/claims/:id/decisions, approve 100,000.00: the annual cap check
 *     read       GET /api/v1/projections/caps?applicant=…&supportYear=2024
 *     then one sequential client's latency per command, and X-Min-Position: from a register's response to
 *     the answer of a caps read that sent its position (the projector runs in-process)
 *   ceilings   plain node:http + JSON.parse: no write; A one INSERT per request; B the INSERTs of one
 *              event-loop turn in one transaction; same payloads, same load generator, same connections
 *   emmett     @event-driven-io/emmett-sqlite appendToStream behind the same handler
 *
 *   node -r @swc-node/register test/bench/http.bench.ts [--quick] [--only=sqlite-full,postgres,peers]
 *   BENCH_HTTP_SECONDS (default 10) per figure; BENCH_HTTP_PEERS (e.g. ceiling-b,nest-express) keeps only
 *   those peers; PostgreSQL: LEDGER_TEST_POSTGRES_URL
 *   (default postgres://postgres@127.0.0.1:5432/postgres). Every figure runs with the group commit on
 *   (LEDGER_GROUP_COMMIT=on, the default); register is measured once more with it off and, on SQLite,
 *   with the batches on the writer thread (LEDGER_GROUP_COMMIT=thread).
 *   BENCH_HTTP_ADAPTERS (e.g. express,fastify,express,fastify): the service once per entry, in that order,
 *   with LEDGER_HTTP_ADAPTER set to it (issue 12, docs/benchmarks.md "ledger-api on Fastify"); unset, once
 *   with the service's default. The group-commit off/thread runs use the first entry.
 *   BENCH_HTTP_WARM_UP_SECONDS (default 2): the register warm-up before the service's first figure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken, type Role } from '@hz/auth';
import { createThrowawayDatabase } from '@hz/event-store';
import { usccFromPrefix } from '@hz/ledger';
import {
  awaitHealthy,
  awaitLine,
  CONNECTIONS,
  freePort,
  load,
  sampleSequentially,
  sequential,
  spawnTs,
  type LatencyFigure,
  type LoadFigure,
  type LoadPlan,
  type NextRequest,
} from './http-load';
import type { PeerKind } from './http-peers';

const ROOT = join(__dirname, '..', '..');
const quick = process.argv.includes('--quick');
const SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? (quick ? 3 : 10));
const SEQUENTIAL = quick ? 50 : 200;
/** The register warm-up before the figures (BENCH_HTTP_WARM_UP_SECONDS, default 2): the order check of issue 12. */
const WARM_UP_SECONDS = Number(process.env['BENCH_HTTP_WARM_UP_SECONDS'] ?? 2);
const only = (process.argv.find((arg) => arg.startsWith('--only='))?.slice(7) ?? '')
  .split(',')
  .filter((part) => part !== '');
const wanted = (name: string): boolean => only.length === 0 || only.includes(name);

type StoreName = 'sqlite-full' | 'sqlite-normal' | 'postgres';

/** LEDGER_HTTP_ADAPTER of the service; 'default' leaves it to the environment and the service's default. */
type AdapterChoice = 'express' | 'fastify' | 'default';
const ADAPTERS: readonly AdapterChoice[] = (process.env['BENCH_HTTP_ADAPTERS'] ?? 'default')
  .split(',')
  .filter((part) => part !== '')
  .map((part) => {
    if (part === 'express' || part === 'fastify' || part === 'default') return part;
    throw new Error(`BENCH_HTTP_ADAPTERS: ${part} is not express, fastify or default`);
  });

/** LEDGER_GROUP_COMMIT of the service (issue 12; on by default; `thread`: SQLite batches on a writer thread). */
type GroupCommit = 'on' | 'off' | 'thread';

interface ServiceFigures {
  readonly store: StoreName;
  readonly adapter: AdapterChoice;
  readonly groupCommit: GroupCommit;
  readonly load: Record<Command, LoadFigure>;
  readonly sequential: Record<Command, LatencyFigure>;
  readonly readAfterWrite: LatencyFigure;
}

/** Prints the first refusal of a kind, so a run that measures only refusals says so. */
class FailureSample {
  private seen = false;
  constructor(private readonly what: string) {}
  note(status: number, body: string): void {
    if (this.seen) return;
    this.seen = true;
    console.log(`  ${this.what}: first failure ${status} ${body.slice(0, 300)}`);
  }
}

const COMMANDS = ['register', 'submit', 'approve', 'read'] as const;
type Command = (typeof COMMANDS)[number];

let serial = Math.floor(Math.random() * 1e5) * 1e4;
function nextUscc(): string {
  serial += 1;
  return usccFromPrefix(`91330106${String(serial).padStart(9, '0').slice(-9)}`);
}

const json = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

function registerRequest(adminToken: string): NextRequest {
  const uscc = nextUscc();
  return {
    method: 'POST',
    path: '/api/v1/applicants',
    headers: { ...json(adminToken), 'idempotency-key': randomUUID() },
    body: JSON.stringify({ uscc, name: `Bench ${uscc.slice(-6)}`, district: 'xihu' }),
  };
}

/**
 * A claim filed by the applicant under its own token. c4-brand-promotion: rule amount 100,000.00 on
 * 400,000.00 of spend; annual cap 500,000.00 (docs/policy.md §3).
 */
function submitRequest(filer: { readonly uscc: string; readonly token: string }): NextRequest {
  return {
    method: 'POST',
    path: '/api/v1/claims',
    headers: { ...json(filer.token), 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      applicant: filer.uscc,
      programCode: 'c4-brand-promotion',
      supportYear: 2024,
      requestedAmount: '100000.00',
      evidence: { items: [{ date: '2024-02-01', amount: '400000.00', channel: 'search-engine' }] },
    }),
  };
}

/** Round robin over a list that the run fills as it goes. */
function cycle<T>(items: readonly T[]): () => T {
  let index = 0;
  return () => {
    const item = items[index % items.length];
    index += 1;
    if (item === undefined) throw new Error('nothing to cycle over');
    return item;
  };
}

function progress(what: string, figure: LoadFigure, cpuMs?: number): LoadFigure {
  const cpu =
    cpuMs === undefined || figure.ok === 0
      ? ''
      : `, server CPU ${round(cpuMs / figure.ok)} ms per answer`;
  console.log(
    `  ${what}: ${figure.requestsPerSecond} req/s, p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms, ${figure.ok} ok, ${figure.failed} failed${cpu}`,
  );
  return figure;
}

/**
 * The server process behind each origin, for its CPU time per answer: on a machine shared with other work
 * (load far above the cores) req/s says how much CPU the server was given, CPU ms per answer what one
 * request costs it, which compares across adapters and with ceiling B's in the same run.
 */
const serverPids = new Map<string, number>();

/** user + system CPU of a process and all its threads, in ms (/proc/<pid>/stat, USER_HZ = 100). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** `load` with the server's CPU time over the run. */
async function loadWithCpu(plan: LoadPlan): Promise<{ figure: LoadFigure; cpuMs?: number }> {
  const pid = serverPids.get(plan.origin);
  const before = cpuMsOf(pid);
  const figure = await load(plan);
  const after = cpuMsOf(pid);
  return before === undefined || after === undefined
    ? { figure }
    : { figure, cpuMs: after - before };
}

/** One load run that expects `status`: each such answer's body to `onOk`, the first other one printed. */
async function measure(
  what: string,
  plan: LoadPlan,
  status: number,
  onOk?: (body: string) => void,
): Promise<LoadFigure> {
  const failures = new FailureSample(what);
  const { figure, cpuMs } = await loadWithCpu({
    ...plan,
    onResponse: (answered, body) => {
      if (answered === status) onOk?.(body);
      else failures.note(answered, body);
    },
  });
  return progress(what, figure, cpuMs);
}

interface Service {
  readonly origin: string;
  token(sub: string, roles: Role[], applicant?: string): Promise<string>;
  stop(): Promise<void>;
}

async function startService(
  store: StoreName,
  directory: string,
  groupCommit: GroupCommit,
  adapter: AdapterChoice,
): Promise<Service> {
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const database = store === 'postgres' ? await createThrowawayDatabase('ledger_bench') : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: mkdtempSync(join(directory, `${store}-${groupCommit}-`)),
    LEDGER_JWT_SECRET: secret,
    LEDGER_DEV_OIDC: '0',
    LEDGER_LOG_LEVEL: 'warn',
    LEDGER_RATE_LIMIT_PER_MINUTE: '0',
    LEDGER_GROUP_COMMIT: groupCommit,
    ...(adapter === 'default' ? {} : { LEDGER_HTTP_ADAPTER: adapter }),
    ...(store === 'sqlite-normal' ? { LEDGER_SQLITE_SYNCHRONOUS: 'NORMAL' } : {}),
    ...(database
      ? {
          LEDGER_EVENT_STORE: 'postgres',
          LEDGER_READ_STORE: 'postgres',
          DATABASE_URL: database.connectionString,
        }
      : {}),
  };
  const child = spawnTs(join(ROOT, 'apps', 'ledger-api', 'src', 'main.ts'), [], env);
  const origin = `http://127.0.0.1:${port}`;
  if (child.process.pid !== undefined) serverPids.set(origin, child.process.pid);
  try {
    await awaitHealthy(`${origin}/api/v1/health/live`, 180_000);
  } catch (error) {
    await child.stop();
    await database?.drop();
    throw error;
  }
  return {
    origin,
    token: (sub, roles, applicant) => mintToken({ sub, roles, applicant, secret, ttl: 7200 }),
    stop: async () => {
      await child.stop();
      await database?.drop();
    },
  };
}

/** With the group commit off or on the writer thread, only the write figure that it changes: register at 64 connections and alone. */
interface RegisterFigures {
  readonly store: StoreName;
  readonly groupCommit: GroupCommit;
  readonly register: LoadFigure;
  readonly sequential: LatencyFigure;
}

async function measureRegister(
  store: StoreName,
  directory: string,
  groupCommit: GroupCommit,
): Promise<RegisterFigures> {
  return withService(
    store,
    directory,
    groupCommit,
    ADAPTERS[0] ?? 'default',
    async ({ origin, admin }) => {
      await load({ origin, seconds: 2, next: () => registerRequest(admin) });
      const register = progress(
        `${store} group commit ${groupCommit} register`,
        await load({ origin, seconds: SECONDS, next: () => registerRequest(admin) }),
      );
      const alone = await sequential(origin, SEQUENTIAL, () => registerRequest(admin));
      return { store, groupCommit, register, sequential: alone };
    },
  );
}

/** Starts the service, hands `work` its origin and an admin token, and stops it whatever happens. */
async function withService<T>(
  store: StoreName,
  directory: string,
  groupCommit: GroupCommit,
  adapter: AdapterChoice,
  work: (running: { service: Service; origin: string; admin: string }) => Promise<T>,
): Promise<T> {
  const service = await startService(store, directory, groupCommit, adapter);
  try {
    const admin = await service.token('bench-admin', ['admin']);
    return await work({ service, origin: service.origin, admin });
  } finally {
    await service.stop();
  }
}

async function measureService(
  store: StoreName,
  directory: string,
  groupCommit: GroupCommit,
  adapter: AdapterChoice,
): Promise<ServiceFigures> {
  return withService(store, directory, groupCommit, adapter, async ({ service, origin, admin }) => {
    const reviewer = await service.token('bench-reviewer', ['reviewer']);
    const auditor = await service.token('bench-auditor', ['auditor']);
    const registered: string[] = [];
    const onRegistered = (body: string): void => {
      registered.push((JSON.parse(body) as { uscc: string }).uscc);
    };
    // Warm-up (JIT, caches, file growth), not counted; its applicants join the pool.
    await measure(
      `${store} warm-up`,
      { origin, seconds: WARM_UP_SECONDS, next: () => registerRequest(admin) },
      201,
      onRegistered,
    );
    const register = await measure(
      `${store} register`,
      { origin, seconds: SECONDS, next: () => registerRequest(admin) },
      201,
      onRegistered,
    );
    // Submit: each applicant files under its own token; at most 4,000 applicants, one token each.
    const filers = await Promise.all(
      registered.slice(0, 4000).map(async (uscc) => ({
        uscc,
        token: await service.token(`user-${uscc}`, ['applicant'], uscc),
      })),
    );
    const nextFiler = cycle(filers);
    const claims: string[] = [];
    const submit = await measure(
      `${store} submit`,
      { origin, seconds: SECONDS, next: () => submitRequest(nextFiler()) },
      201,
      (body) => claims.push((JSON.parse(body) as { claimId: string }).claimId),
    );
    // Approve: each claim once, in the order submitted (a cap of 500,000.00 per applicant and year).
    const sequentialClaims = claims.splice(0, SEQUENTIAL);
    const nextClaim = cycle(claims);
    const approveRequest = (claimId: string): NextRequest => ({
      method: 'POST',
      path: `/api/v1/claims/${claimId}/decisions`,
      headers: { ...json(reviewer), 'idempotency-key': randomUUID() },
      body: JSON.stringify({ outcome: 'approve', amount: '100000.00', reasons: ['bench'] }),
    });
    const approve = await measure(
      `${store} approve`,
      { origin, amount: claims.length, next: () => approveRequest(nextClaim()) },
      200,
    );
    const nextApplicant = cycle(filers.map((filer) => filer.uscc));
    const readRequest = (uscc: string, minPosition?: string): NextRequest => ({
      method: 'GET',
      path: `/api/v1/projections/caps?applicant=${uscc}&supportYear=2024`,
      headers: {
        authorization: `Bearer ${auditor}`,
        ...(minPosition === undefined ? {} : { 'x-min-position': minPosition }),
      },
    });
    const read = await measure(
      `${store} read`,
      { origin, seconds: SECONDS, next: () => readRequest(nextApplicant()) },
      200,
    );

    // One sequential client: the latency of each command alone.
    const sequentialFilers = filers.slice(0, SEQUENTIAL);
    const nextSequentialFiler = cycle(sequentialFilers);
    const nextSequentialClaim = cycle(sequentialClaims);
    const sequentialFigures: Record<Command, LatencyFigure> = {
      register: await sequential(origin, SEQUENTIAL, () => registerRequest(admin)),
      submit: await sequential(origin, SEQUENTIAL, () => submitRequest(nextSequentialFiler())),
      approve: await sequential(origin, sequentialClaims.length, () =>
        approveRequest(nextSequentialClaim()),
      ),
      read: await sequential(origin, SEQUENTIAL, () => readRequest(nextApplicant())),
    };
    const readAfterWrite = await measureReadAfterWrite(origin, admin, (uscc, position) =>
      readRequest(uscc, position),
    );
    return {
      store,
      adapter,
      groupCommit,
      load: { register, submit, approve, read },
      sequential: sequentialFigures,
      readAfterWrite,
    };
  });
}

/**
 * X-Min-Position (issue 12): register, then at once read the caps with the write's position; the figure is
 * the time from the write's response to the read's response (in-process projector).
 */
async function measureReadAfterWrite(
  origin: string,
  adminToken: string,
  readRequest: (uscc: string, position: string) => NextRequest,
): Promise<LatencyFigure> {
  return sampleSequentially(origin, SEQUENTIAL, async (client) => {
    const write = await client.send(registerRequest(adminToken));
    if (write.status !== 201) return undefined;
    const { uscc, position } = JSON.parse(write.body) as { uscc: string; position: string };
    const read = await client.send(readRequest(uscc, position));
    return read.status === 200 ? Number(read.atNs - write.atNs) / 1e6 : undefined;
  });
}

/** The X-Min-Position pairs alone (BENCH_HTTP_READ_AFTER_WRITE_ONLY=1): a 2 s register warm-up, then the pairs. */
async function measureReadAfterWriteOnly(store: StoreName, directory: string): Promise<void> {
  await withService(
    store,
    directory,
    'on',
    ADAPTERS[0] ?? 'default',
    async ({ service, origin, admin }) => {
      const auditor = await service.token('bench-auditor', ['auditor']);
      await load({ origin, seconds: 2, next: () => registerRequest(admin) });
      const readOf = (uscc: string, position?: string): NextRequest => ({
        method: 'GET',
        path: `/api/v1/projections/caps?applicant=${uscc}&supportYear=2024`,
        headers: {
          authorization: `Bearer ${auditor}`,
          ...(position === undefined ? {} : { 'x-min-position': position }),
        },
      });
      const pairs = await measureReadAfterWrite(origin, admin, readOf);
      // The floor of a pair, same run: the same read alone (an applicant already projected, no wait).
      let known = '';
      await sampleSequentially(origin, 1, async (client) => {
        known = (JSON.parse((await client.send(registerRequest(admin))).body) as { uscc: string })
          .uscc;
        return 0;
      });
      const alone = await sequential(origin, SEQUENTIAL, () => readOf(known));
      const average = loadavg().map((value) => value.toFixed(2));
      console.log(
        `${store} X-Min-Position: ${pairs.count} pairs, p50 ${round(pairs.p50Ms)} ms, p99 ${round(pairs.p99Ms)} ms, failed ${pairs.failed}; the read alone (${alone.count}, failed ${alone.failed}) p50 ${round(alone.p50Ms)} ms, p99 ${round(alone.p99Ms)} ms; load ${average.join(' ')}`,
      );
    },
  );
}

interface PeerFigure {
  readonly peer: PeerKind;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly register: LoadFigure;
}

async function measurePeer(
  peer: PeerKind,
  synchronous: 'FULL' | 'NORMAL',
  directory: string,
): Promise<PeerFigure> {
  const child = spawnTs(
    join(__dirname, 'http-peers.ts'),
    [peer, synchronous, mkdtempSync(join(directory, `${peer}-`))],
    process.env,
  );
  try {
    const port = await awaitLine(child, /listening (\d+)/, 120_000);
    const origin = `http://127.0.0.1:${port}`;
    // The same request as the service's register (its token and key are ignored), warm-up included.
    const next = (): NextRequest => registerRequest('peer-ignores-the-token');
    if (child.process.pid !== undefined) serverPids.set(origin, child.process.pid);
    await load({ origin, seconds: 2, next });
    const { figure, cpuMs } = await loadWithCpu({ origin, seconds: SECONDS, next });
    progress(`${peer} ${synchronous} register`, figure, cpuMs);
    return { peer, synchronous, register: figure };
  } finally {
    await child.stop();
  }
}

const round = (value: number): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '-';
const percent = (part: number, whole: number): string =>
  whole > 0 ? `${Math.round((100 * part) / whole)}%` : '-';

/** The store, and the adapter when BENCH_HTTP_ADAPTERS chose one. */
const serviceLabel = (figures: ServiceFigures): string =>
  figures.adapter === 'default' ? figures.store : `${figures.store} ${figures.adapter}`;

const LOAD_HEADER = ['req/s', 'p50 ms', 'p99 ms', 'failed'];

/** req/s, p50, p99 and failures: the cells every load figure shows (LOAD_HEADER). */
function loadCells(figure: LoadFigure): string[] {
  return [
    round(figure.requestsPerSecond),
    round(figure.p50Ms),
    round(figure.p99Ms),
    String(figure.failed),
  ];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [format(header), ...rows.map(format)];
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(process.env['BENCH_DATA_DIR'] ?? tmpdir(), 'http-bench-'));
  const loadBefore = loadavg();
  const peers: PeerFigure[] = [];
  const services: ServiceFigures[] = [];
  const registers: RegisterFigures[] = [];
  try {
    if (wanted('peers')) {
      const plan: Array<[PeerKind, 'FULL' | 'NORMAL']> = [
        ['none', 'FULL'],
        ['ceiling-a', 'FULL'],
        ['ceiling-b', 'FULL'],
        ['ceiling-a', 'NORMAL'],
        ['ceiling-b', 'NORMAL'],
        ['emmett', 'FULL'],
        // The adapter side by side, three pairs back to back (no store: synchronous does not apply).
        ['nest-express', 'FULL'],
        ['nest-fastify', 'FULL'],
        ['nest-express', 'FULL'],
        ['nest-fastify', 'FULL'],
        ['nest-express', 'FULL'],
        ['nest-fastify', 'FULL'],
      ];
      // BENCH_HTTP_PEERS=ceiling-b,nest-express keeps only those peers (issue 12's request-path runs).
      const peerFilter = (process.env['BENCH_HTTP_PEERS'] ?? '').split(',').filter(Boolean);
      const chosen = plan.filter(([peer]) => peerFilter.length === 0 || peerFilter.includes(peer));
      for (const [peer, synchronous] of chosen) {
        peers.push(await measurePeer(peer, synchronous, directory));
        console.log(`  done: ${peer} ${synchronous}`);
      }
    }
    for (const store of ['sqlite-full', 'sqlite-normal', 'postgres'] as const) {
      if (!wanted(store)) continue;
      // BENCH_HTTP_READ_AFTER_WRITE_ONLY=1: only the X-Min-Position pairs (issue 12), after a short warm-up.
      if (process.env['BENCH_HTTP_READ_AFTER_WRITE_ONLY'] === '1') {
        await measureReadAfterWriteOnly(store, directory);
        continue;
      }
      for (const adapter of ADAPTERS) {
        services.push(await measureService(store, directory, 'on', adapter));
        console.log(`  done: service on ${store}, ${adapter} adapter`);
      }
      // BENCH_HTTP_GROUP_COMMIT_OFF=0 skips the off run (the request-path runs compare the default only).
      if (process.env['BENCH_HTTP_GROUP_COMMIT_OFF'] !== '0')
        registers.push(await measureRegister(store, directory, 'off'));
      // The SQLite writer thread (LEDGER_GROUP_COMMIT=thread) beside the default in-thread batch;
      // BENCH_HTTP_WRITER_THREAD=0 skips it.
      if (store !== 'postgres' && process.env['BENCH_HTTP_WRITER_THREAD'] !== '0')
        registers.push(await measureRegister(store, directory, 'thread'));
      console.log(`  done: service on ${store}`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const ceilingB = (synchronous: 'FULL' | 'NORMAL'): number | undefined =>
    peers.find((figure) => figure.peer === 'ceiling-b' && figure.synchronous === synchronous)
      ?.register.requestsPerSecond;
  // PostgreSQL is set against ceiling B on SQLite FULL: the run has no PostgreSQL ceiling.
  const ceilingOf = (store: StoreName): number =>
    ceilingB(store === 'sqlite-normal' ? 'NORMAL' : 'FULL') ?? 0;
  const lines = [
    `http benchmark: ${CONNECTIONS} connections, ${SECONDS} s per figure, node ${process.version}, ` +
      `load average ${loadBefore.map(round).join(' ')} before, ` +
      `${loadAfter.map(round).join(' ')} after`,
    '',
    ...table(
      ['peer (register payload)', 'sync', ...LOAD_HEADER, 'of ceiling B'],
      peers.map((figure) => [
        figure.peer,
        figure.peer === 'none' || figure.peer.startsWith('nest-') ? '-' : figure.synchronous,
        ...loadCells(figure.register),
        percent(figure.register.requestsPerSecond, ceilingB(figure.synchronous) ?? 0),
      ]),
    ),
    '',
    ...table(
      [
        'service (group commit on)',
        'command',
        ...LOAD_HEADER,
        'of ceiling B',
        'seq p50',
        'seq p99',
      ],
      services.flatMap((figures) =>
        COMMANDS.map((command) => {
          const figure = figures.load[command];
          const alone = figures.sequential[command];
          const ceiling = ceilingOf(figures.store);
          return [
            serviceLabel(figures),
            command,
            ...loadCells(figure),
            command === 'read' ? '-' : percent(figure.requestsPerSecond, ceiling),
            round(alone.p50Ms),
            round(alone.p99Ms),
          ];
        }),
      ),
    ),
    '',
    ...table(
      ['service', 'register', 'group commit', ...LOAD_HEADER, 'of ceiling B', 'seq p50'],
      services.flatMap((figures) => {
        const other = (setting: GroupCommit): RegisterFigures | undefined =>
          registers.find((entry) => entry.store === figures.store && entry.groupCommit === setting);
        const ceiling = ceilingOf(figures.store);
        const row = (setting: GroupCommit, figure: LoadFigure, alone: LatencyFigure): string[] => [
          figures.store,
          `${CONNECTIONS} connections`,
          setting,
          ...loadCells(figure),
          percent(figure.requestsPerSecond, ceiling),
          round(alone.p50Ms),
        ];
        return [
          row('on', figures.load.register, figures.sequential.register),
          ...(['off', 'thread'] as const).flatMap((setting) => {
            const figure = other(setting);
            return figure ? [row(setting, figure.register, figure.sequential)] : [];
          }),
        ];
      }),
    ),
    '',
    ...table(
      ['service', 'X-Min-Position: write response → read response', 'p50 ms', 'p99 ms', 'failed'],
      services.map((figures) => [
        serviceLabel(figures),
        `${figures.readAfterWrite.count} register + caps read`,
        round(figures.readAfterWrite.p50Ms),
        round(figures.readAfterWrite.p99Ms),
        String(figures.readAfterWrite.failed),
      ]),
    ),
  ];
  for (const line of lines) console.log(line);
  console.log(
    JSON.stringify({
      bench: 'http',
      connections: CONNECTIONS,
      seconds: SECONDS,
      loadAverage: { before: loadBefore, after: loadAfter },
      peers,
      services,
      groupCommitOff: registers,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
