/**
 * Instructions per answer of the service (issue 12, docs/benchmarks.md "The write path, session 7"): on a
 * machine shared with other work, CPU time per answer moves with the load by more than a change of a few
 * per cent; valgrind's instruction count does not. Starts apps/ledger-api/src/main.ts of the tree given
 * (fresh SQLite store, JWT, idempotency, rate limit off) under `valgrind --tool=callgrind
 * --instr-atstart=no`, warms it up with register requests, switches the counting on for `count` register
 * requests at `connections` at once, off again, and prints the instructions of the whole process per
 * answer (callgrind_annotate's total over the counted window). LEDGER_HTTP_ADAPTER and
 * LEDGER_SQLITE_SYNCHRONOUS pass through (NORMAL by default: no fsync waits, the same work).
 *
 *   node -r @swc-node/register test/bench/http-callgrind.ts <tree> <out-file> [count] [connections]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@hz/auth';
import { awaitHealthy, freePort, load } from './http-load';
import { registerRequests } from './http-register';

async function main(): Promise<void> {
  const [tree, outFile, countText = '400', connectionsText = '16'] = process.argv.slice(2);
  if (tree === undefined || outFile === undefined)
    throw new Error('usage: http-callgrind.ts <tree> <out-file> [count] [connections]');
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${outFile}`,
      process.execPath,
      '-r',
      '@swc-node/register',
      join(tree, 'apps', 'ledger-api', 'src', 'main.ts'),
    ],
    {
      cwd: tree,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        LEDGER_HOST: '127.0.0.1',
        LEDGER_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-callgrind-data-')),
        LEDGER_JWT_SECRET: secret,
        LEDGER_DEV_OIDC: '0',
        LEDGER_LOG_LEVEL: 'warn',
        LEDGER_RATE_LIMIT_PER_MINUTE: '0',
        LEDGER_SQLITE_SYNCHRONOUS: process.env['LEDGER_SQLITE_SYNCHRONOUS'] ?? 'NORMAL',
      },
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await awaitHealthy(`${origin}/api/v1/health/live`, 900_000);
    const admin = await mintToken({ sub: 'callgrind', roles: ['admin'], secret, ttl: 7200 });
    const register = registerRequests(`Bearer ${admin}`);
    const connections = Number(connectionsText);
    const count = Number(countText);
    const warm = await load({ origin, amount: count, connections, next: register });
    const pid = String(child.pid);
    // Answers counted by the service itself (autocannon may count requests it abandoned at the end).
    const before = await posts(origin);
    execFileSync('callgrind_control', ['-i', 'on', pid]);
    const figure = await load({ origin, amount: count, connections, next: register });
    execFileSync('callgrind_control', ['-i', 'off', pid]);
    const answers = (await posts(origin)) - before;
    execFileSync('callgrind_control', ['-d', pid]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const summary = execFileSync('callgrind_annotate', [`${outFile}.1`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const total = /([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/.exec(summary)?.[1]?.replace(/,/g, '');
    console.log(
      `warm-up ${warm.ok} ok ${warm.failed} failed; counted ${figure.ok} ok ${figure.failed} failed; ` +
        `the service answered ${answers}; instructions ${total}; per answer ${(Number(total) / answers).toFixed(0)}`,
    );
  } finally {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  }
}

/** POST /api/v1/applicants answered 201 so far, by the service's own counter. */
async function posts(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/api/v1/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (
      line.startsWith('ledger_http_requests_total{') &&
      line.includes('method="POST"') &&
      line.includes('route="/api/v1/applicants"') &&
      line.includes('status="201"')
    )
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
