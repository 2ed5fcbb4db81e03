/**
 * A CPU profile of the service under the register load of `npm run bench -- http` (issue 12): starts
 * apps/ledger-api/src/main.ts as the bench does (fresh SQLite store, JWT, idempotency, rate limit off),
 * profiling itself after a warm-up, drives 64 connections of register for the given seconds, stops it (SIGTERM → exit,
 * so V8 writes the profile) and prints the heaviest functions by self time.
 *
 *   node -r @swc-node/register test/bench/http-profile.ts <out-dir> [seconds] [FULL|NORMAL]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@hz/auth';
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

/** Self-time shares by function (and by file), heaviest first. */
export function heaviest(profile: Profile, top: number): string[] {
  const counts = new Map<number, number>();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = counts.get(node.id) ?? 0;
    if (count === 0) continue;
    const file = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
    const group = file.includes('/') ? file.split('/').slice(0, 2).join('/') : file || '(native)';
    byFile.set(group, (byFile.get(group) ?? 0) + count);
  }
  const total = profile.samples.length;
  const lines = (map: Map<string, number>): string[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => `${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`);
  return ['by function (self):', ...lines(byFunction), '', 'by package/file:', ...lines(byFile)];
}

async function main(): Promise<void> {
  const [outDir = join(tmpdir(), 'ledger-profile'), secondsText = '10', sync = 'FULL'] =
    process.argv.slice(2);
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
    const admin = await mintToken({ sub: 'profile', roles: ['admin'], secret, ttl: 3600 });
    let serial = Math.floor(Math.random() * 1e8);
    const next = (): NextRequest => {
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
    const warm = await load({ origin, seconds: 2, next });
    console.log(`warm-up: ${warm.ok} ok, ${warm.failed} failed`);
    writeFileSync(trigger, '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const figure = await load({ origin, seconds: Number(secondsText), next });
    console.log(
      `register: ${figure.requestsPerSecond} req/s, p50 ${figure.p50Ms}, p99 ${figure.p99Ms}, ${figure.failed} failed`,
    );
  } finally {
    await child.stop();
  }
  const file = readdirSync(outDir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .pop();
  if (!file) throw new Error(`no profile written to ${outDir}`);
  const profile = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as Profile;
  for (const line of heaviest(profile, 40)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
