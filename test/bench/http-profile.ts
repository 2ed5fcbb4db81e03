/**
 * A CPU profile of the service under the register, submit or approve load of `npm run bench -- http`
 * (issue 12): starts apps/ledger-api/src/main.ts as the bench does (fresh SQLite store, JWT,
 * idempotency, rate limit off), profiling itself after a warm-up, drives 64 connections of the command
 * for the given seconds (approve: each claim submitted before the profile, once), stops it (SIGTERM →
 * exit, so the profile is written) and prints the shares of self time by layer of the request path
 * (docs/benchmarks.md, issue 12). `--layers <file>` prints the layers of a profile already written.
 *
 *   node -r @swc-node/register test/bench/http-profile.ts <out-dir> [seconds] [FULL|NORMAL]
 *     [register|submit|approve]
 *   node -r @swc-node/register test/bench/http-profile.ts --layers <file.cpuprofile>
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken, type Role } from '@hz/auth';
import { usccFromPrefix } from '@hz/ledger';
import { awaitHealthy, freePort, load, spawnTs, type NextRequest } from './http-load';

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
    NODE_OPTIONS: `--require ${hook}`,
  });
  const origin = `http://127.0.0.1:${port}`;
  child.process.once('exit', (code, signal) => console.log(`service exit ${code} ${signal}`));
  try {
    await awaitHealthy(`${origin}/api/v1/health/live`, 60_000);
    const token = (sub: string, roles: Role[], applicant?: string): Promise<string> =>
      mintToken({ sub, roles, applicant, secret, ttl: 3600 });
    const admin = await token('profile', ['admin']);
    let serial = Math.floor(Math.random() * 1e8);
    const registered: string[] = [];
    const register = (): NextRequest => {
      serial += 1;
      const uscc = usccFromPrefix(`91330106${String(serial).padStart(9, '0').slice(-9)}`);
      return {
        method: 'POST',
        path: '/api/v1/applicants',
        headers: {
          authorization: `Bearer ${admin}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ uscc, name: `Bench ${uscc.slice(-6)}`, district: 'xihu' }),
      };
    };
    const onRegistered = (status: number, body: string): void => {
      if (status === 201) registered.push((JSON.parse(body) as { uscc: string }).uscc);
    };
    const warm = await load({ origin, seconds: 2, next: register, onResponse: onRegistered });
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
    writeFileSync(trigger, '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const plan =
      command === 'approve'
        ? { origin, amount: claims.length, next: approve }
        : { origin, seconds: Number(secondsText), next: command === 'submit' ? submit : register };
    const figure = await load(plan);
    console.log(
      `${command}: ${figure.requestsPerSecond} req/s, p50 ${figure.p50Ms}, p99 ${figure.p99Ms}, ${figure.ok} ok, ${figure.failed} failed`,
    );
  } finally {
    await child.stop();
  }
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
