/**
 * A CPU profile of the service under the register, submit or approve load of `npm run bench -- http`
 * (issue 12): starts apps/ledger-api/src/main.ts as the bench does (fresh SQLite store, JWT,
 * idempotency, rate limit off), profiling itself after a warm-up, drives 64 connections of the command
 * for the given seconds (approve: each claim submitted before the profile, once), stops it (SIGTERM →
 * exit, so the profile is written) and prints the shares of self time by layer of the request path
 * (docs/benchmarks.md, issue 12). `--layers <file>` prints the layers of a profile already written.
 * It also prints the process CPU time (user + system, all threads, /proc) per request of the service
 * and, in the same run under the register payload, of the minimal Nest + Express app and ceiling B
 * (http-peers.ts), with the ratios: a figure that a shared machine's load moves far less than req/s.
 * HTTP_PROFILE_CPU_ONLY=1 leaves the profiler off (its sampling costs the service CPU);
 * HTTP_PROFILE_PEERS=0 skips the peers, a list (e.g. nest-express,nest-fastify,ceiling-b) runs those; HTTP_PROFILE_REQUIRE=<file> is one more `--require` for the service;
 * HTTP_PROFILE_CONNECTIONS (default 64) the connections of the profiled load; HTTP_PROFILE_WARM_UP_SECONDS
 * (default 2) the register warm-up before it.
 *
 *   node -r @swc-node/register test/bench/http-profile.ts <out-dir> [seconds] [FULL|NORMAL]
 *     [register|submit|approve]
 *   node -r @swc-node/register test/bench/http-profile.ts --layers <file.cpuprofile>
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken, type Role } from '@hz/auth';
import { awaitHealthy, awaitLine, freePort, load, spawnTs, type NextRequest } from './http-load';
import { registerRequests } from './http-register';
import type { PeerKind } from './http-peers';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
}

/** Layers of the request path, matched on a frame's script URL, first match wins. */
const LAYERS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'SQLite statements (better-sqlite3 run/all/get: COMMIT and its fsync included)',
    /better-sqlite3/,
  ],
  ['event store JS (adapter, group commit, append, errors)', /libs\/event-store\//],
  [
    'auth (libs/auth, jose, WebCrypto)',
    /libs\/auth\/|node_modules\/jose\/|crypto\/(webcrypto|mac|keys|util)/,
  ],
  ['hashing (node:crypto hash)', /node:internal\/crypto\/hash|node:crypto$/],
  [
    'validation (class-validator, class-transformer)',
    /node_modules\/(class-validator|class-transformer|validator)\//,
  ],
  [
    'logging (pino, pino-http, the request log)',
    /node_modules\/(pino|pino-http|@pinojs|sonic-boom|fast-redact)\/|libs\/api\/src\/http\/operations\/logging/,
  ],
  [
    'Nest (core, common, platform-express, cqrs), rxjs, reflect-metadata',
    /node_modules\/(@nestjs|rxjs|reflect-metadata)\//,
  ],
  [
    'Express layer (express, router, body-parser, raw-body, content-type, helmet, ...)',
    /node_modules\/(express|router|body-parser|raw-body|content-type|type-is|iconv-lite|helmet|on-finished|finalhandler|parseurl|send|qs|depd|statuses|mime-types|media-typer|vary|path-to-regexp|encodeurl|etag|fresh|accepts|negotiator|proxy-addr|forwarded|debug|http-errors|bytes)\//,
  ],
  [
    'node:http, net, streams, events',
    /^node:(_http|net|internal\/stream|internal\/streams|events|buffer)/,
  ],
  ['libs/api (HTTP edge, idempotency, write gateway)', /libs\/api\//],
  [
    'domain (application, ledger, policy, money, kernel, decimal.js)',
    /libs\/(application|ledger|policy|money|kernel)\/|decimal\.js/,
  ],
  ['projections (the in-process projector)', /libs\/projections\//],
];

/**
 * Self-time shares by layer of the request path: a native frame (a statement's run(), an HMAC job) is
 * counted in the layer of the nearest JavaScript frame above it; GC and idle on their own.
 */
export function byLayer(profile: Profile): string[] {
  const counts = new Map<number, number>();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const urlOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const url = nodes.get(at)?.callFrame.url ?? '';
      if (url !== '') return url;
    }
    return '';
  };
  const shares = new Map<string, number>();
  for (const [id, count] of counts) {
    const name = nodes.get(id)?.callFrame.functionName ?? '';
    const layer = /^\((garbage collector|idle|program)\)$/.test(name)
      ? name
      : (LAYERS.find(([, pattern]) => pattern.test(urlOf(id)))?.[0] ?? 'other');
    shares.set(layer, (shares.get(layer) ?? 0) + count);
  }
  const total = profile.samples.length;
  return [...shares.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([layer, count]) => `${((100 * count) / total).toFixed(1).padStart(5)}%  ${layer}`);
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system, every thread) a process has used so far, in milliseconds (Linux). */
function cpuMsOf(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 'self'}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** A peer of the http bench (http-peers.ts) under the register payload: its CPU ms per request. */
async function peerCpuPerRequest(peer: PeerKind, seconds: number, outDir: string): Promise<number> {
  const child = spawnTs(
    join(__dirname, 'http-peers.ts'),
    [peer, 'FULL', mkdtempSync(join(outDir, `${peer}-`))],
    process.env,
  );
  try {
    const port = await awaitLine(child, /listening (\d+)/, 120_000);
    const origin = `http://127.0.0.1:${port}`;
    // The register request of the http bench: the minimal Nest app's guard wants a bearer header.
    const next = registerRequests('Bearer peer-ignores-the-token', '91330107');
    await load({ origin, seconds: 2, next });
    const before = cpuMsOf(child.process.pid);
    const figure = await load({ origin, seconds, next });
    const cpu = (cpuMsOf(child.process.pid) - before) / (figure.ok + figure.failed);
    console.log(
      `${peer}: ${figure.requestsPerSecond} req/s, ${figure.ok} ok, ${figure.failed} failed`,
    );
    return cpu;
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--layers') {
    const profile = JSON.parse(readFileSync(process.argv[3] ?? '', 'utf8')) as Profile;
    console.log(`${profile.samples.length} samples, by layer (self time):`);
    for (const line of byLayer(profile)) console.log(line);
    return;
  }
  const [
    outDir = join(tmpdir(), 'ledger-profile'),
    secondsText = '10',
    sync = 'FULL',
    command = 'register',
  ] = process.argv.slice(2);
  if (!['register', 'submit', 'approve'].includes(command))
    throw new Error(`command ${command}: register, submit or approve`);
  mkdirSync(outDir, { recursive: true });
  const hook = join(outDir, 'profile-hook.js');
  const trigger = join(outDir, 'start');
  rmSync(trigger, { force: true });
  // The service's own process profiles itself through node:inspector (--cpu-prof is not allowed in
  // NODE_OPTIONS) and writes the profile when SIGTERM stops it.
  writeFileSync(
    hook,
    `const { Session } = require('node:inspector');
const { existsSync, writeFileSync } = require('node:fs');
const session = new Session();
session.connect();
// Started after the warm-up (when the trigger file appears), so start-up stays out of the profile.
const poll = setInterval(() => {
  if (!existsSync(${JSON.stringify(trigger)})) return;
  clearInterval(poll);
  session.post('Profiler.enable', () => session.post('Profiler.start'));
}, 50);
poll.unref();
process.on('SIGTERM', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(${JSON.stringify(join(outDir, 'service.cpuprofile'))}, JSON.stringify(result.profile));
    process.exit(0);
  });
});
`,
  );
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  let serviceCpu = NaN;
  // HTTP_PROFILE_CPU_ONLY=1: no profiler (its sampling costs the service CPU), the CPU figures only.
  const profiling = process.env['HTTP_PROFILE_CPU_ONLY'] !== '1';
  const child = spawnTs(join(__dirname, '..', '..', 'apps', 'ledger-api', 'src', 'main.ts'), [], {
    ...process.env,
    PORT: String(port),
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-profile-data-')),
    LEDGER_JWT_SECRET: secret,
    LEDGER_DEV_OIDC: '0',
    LEDGER_LOG_LEVEL: 'warn',
    LEDGER_RATE_LIMIT_PER_MINUTE: '0',
    LEDGER_SQLITE_SYNCHRONOUS: sync,
    // HTTP_PROFILE_REQUIRE: one more --require for the service (a counting hook of a scratch run).
    NODE_OPTIONS: [hook, process.env['HTTP_PROFILE_REQUIRE']]
      .filter((file) => file !== undefined && file !== '')
      .map((file) => `--require ${file}`)
      .join(' '),
  });
  const origin = `http://127.0.0.1:${port}`;
  child.process.once('exit', (code, signal) => console.log(`service exit ${code} ${signal}`));
  try {
    await awaitHealthy(`${origin}/api/v1/health/live`, 60_000);
    const token = (sub: string, roles: Role[], applicant?: string): Promise<string> =>
      mintToken({ sub, roles, applicant, secret, ttl: 3600 });
    const admin = await token('profile', ['admin']);
    const registered: string[] = [];
    const register = registerRequests(`Bearer ${admin}`);
    const onRegistered = (status: number, body: string): void => {
      if (status === 201) registered.push((JSON.parse(body) as { uscc: string }).uscc);
    };
    // HTTP_PROFILE_WARM_UP_SECONDS (default 2): the register warm-up; a longer one leaves V8's optimizing
    // compiler out of the measured window (issue 12, session 9: a quarter of the CPU at 2 s).
    const warmUpSeconds = Number(process.env['HTTP_PROFILE_WARM_UP_SECONDS'] ?? 2);
    const warm = await load({
      origin,
      seconds: warmUpSeconds,
      next: register,
      onResponse: onRegistered,
    });
    console.log(`warm-up (register): ${warm.ok} ok, ${warm.failed} failed`);
    // Submit and approve as the http bench drives them (test/bench/http.bench.ts): each applicant files
    // under its own token; each claim is approved once, 100,000.00 against the annual cap.
    const filers = await Promise.all(
      registered.slice(0, 4000).map(async (uscc) => ({
        uscc,
        token: await token(`user-${uscc}`, ['applicant'], uscc),
      })),
    );
    let filed = 0;
    const submit = (): NextRequest => {
      const filer = filers[filed % filers.length];
      filed += 1;
      if (filer === undefined) throw new Error('no applicant registered in the warm-up');
      return {
        method: 'POST',
        path: '/api/v1/claims',
        headers: {
          authorization: `Bearer ${filer.token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          applicant: filer.uscc,
          programCode: 'c4-brand-promotion',
          supportYear: 2024,
          requestedAmount: '100000.00',
          evidence: {
            items: [{ date: '2024-02-01', amount: '400000.00', channel: 'search-engine' }],
          },
        }),
      };
    };
    const claims: string[] = [];
    const onSubmitted = (status: number, body: string): void => {
      if (status === 201) claims.push((JSON.parse(body) as { claimId: string }).claimId);
    };
    const reviewer = await token('profile-reviewer', ['reviewer']);
    let decided = 0;
    const approve = (): NextRequest => {
      const claimId = claims[decided];
      decided += 1;
      if (claimId === undefined) throw new Error('no claim left to approve');
      return {
        method: 'POST',
        path: `/api/v1/claims/${claimId}/decisions`,
        headers: {
          authorization: `Bearer ${reviewer}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ outcome: 'approve', amount: '100000.00', reasons: ['bench'] }),
      };
    };
    if (command !== 'register') {
      // Claims to approve: submitted before the profile starts (the submit profile warms up on them too).
      const seconds = command === 'approve' ? Number(secondsText) + 2 : 2;
      const filing = await load({ origin, seconds, next: submit, onResponse: onSubmitted });
      console.log(`warm-up (submit): ${filing.ok} ok, ${filing.failed} failed`);
    }
    if (profiling) writeFileSync(trigger, '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const plan =
      command === 'approve'
        ? { origin, amount: claims.length, next: approve }
        : { origin, seconds: Number(secondsText), next: command === 'submit' ? submit : register };
    // HTTP_PROFILE_CONNECTIONS (default 64): 1 makes every answer its own group-commit batch, so the CPU per
    // answer does not move with the batch size the machine's load gives (issue 12, session 7).
    const connections = Number(process.env['HTTP_PROFILE_CONNECTIONS'] ?? 64);
    const cpuBefore = cpuMsOf(child.process.pid);
    const figure = await load({ ...plan, connections });
    serviceCpu = (cpuMsOf(child.process.pid) - cpuBefore) / (figure.ok + figure.failed);
    console.log(
      `${command}: ${figure.requestsPerSecond} req/s, p50 ${figure.p50Ms}, p99 ${figure.p99Ms} (after each connection's first answer ${figure.p99AfterFirstMs}; slowest first answer ${figure.firstAnswerMaxMs}), ${figure.ok} ok, ${figure.failed} failed, service CPU ${serviceCpu.toFixed(3)} ms per answer`,
    );
  } finally {
    await child.stop();
  }
  if (process.env['HTTP_PROFILE_PEERS'] !== '0') {
    // The same measure for the peers of the http bench, in the same run (their register payload); the
    // minimal Nest app on Fastify, the adapter the service ships with, when the list names it (issue 12).
    const peers: Array<[string, number]> = [];
    const chosen = (process.env['HTTP_PROFILE_PEERS'] ?? 'nest-express,ceiling-b')
      .split(',')
      .filter((peer) => peer !== '') as PeerKind[];
    for (const peer of chosen)
      peers.push([peer, await peerCpuPerRequest(peer, Number(secondsText), outDir)]);
    console.log(
      `process CPU per request (user + system, all threads; load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}):`,
    );
    console.log(
      `  service ${command}${profiling ? ' (profiled)' : ''}: ${serviceCpu.toFixed(3)} ms`,
    );
    for (const [peer, cpu] of peers)
      console.log(
        `  ${peer} (register payload): ${cpu.toFixed(3)} ms; service / ${peer} = ${(serviceCpu / cpu).toFixed(2)}`,
      );
  }
  if (!profiling) return;
  const file = join(outDir, 'service.cpuprofile');
  if (!existsSync(file)) throw new Error(`no profile written to ${outDir}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  console.log(`${profile.samples.length} samples, by layer (self time):`);
  for (const line of byLayer(profile)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
