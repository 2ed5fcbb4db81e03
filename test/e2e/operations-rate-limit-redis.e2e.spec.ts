/**
 * The rate limit holds across replicas (docs/operations.md, "Rate limits"): two real ledger-api processes
 * on the same stores and the same Redis (REDIS_URL, a key prefix of this test's own), one actor
 * alternating between them. Together they let `LIMIT` requests through in the minute, not twice that;
 * both refuse with 429 RATE_LIMIT.EXCEEDED and Retry-After; health and metrics stay reachable.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { mintToken } from '@hz/auth';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const REDIS_URL = process.env['LEDGER_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const LIMIT = 5;

interface Replica {
  readonly child: ChildProcessWithoutNullStreams;
  readonly api: string;
  readonly exited: Promise<void>;
  output(): string;
}

async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'apps', 'ledger-api', 'src', 'main.ts')],
    { cwd: ROOT, env },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    const startup = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line['event'] === 'startup');
    if (startup) return { child, api: String(startup['api']), exited, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`ledger-api did not start:\n${output}`);
}

it(`lets ${LIMIT} requests a minute through two replicas together, not ${LIMIT} each`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hz-redis-limit-'));
  const secret = randomBytes(36).toString('base64');
  const prefix = `test:${randomUUID()}:`;
  const env = {
    ...process.env,
    PORT: '0',
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: dataDir,
    LEDGER_JWT_SECRET: secret,
    LEDGER_EVENT_STORE: 'sqlite',
    LEDGER_READ_STORE: 'sqlite',
    DATABASE_URL: '',
    // The projector runs elsewhere in production; these replicas only answer requests.
    LEDGER_PROJECTOR: 'external',
    LEDGER_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    REDIS_URL,
    LEDGER_REDIS_KEY_PREFIX: prefix,
    LEDGER_LOG_LEVEL: 'info',
  };
  const replicas: Replica[] = [];
  const redis = new Redis(REDIS_URL);
  try {
    replicas.push(await startReplica(env));
    replicas.push(await startReplica(env));
    const token = await mintToken({ sub: 'audrey-auditor', roles: ['auditor'], secret, ttl: 600 });
    const replies: Array<{
      replica: number;
      status: number;
      retryAfter: string | null;
      code?: string;
    }> = [];
    for (let attempt = 0; attempt < 4 * LIMIT; attempt += 1) {
      const replica = attempt % 2;
      const response = await fetch(`${replicas[replica]?.api}/policies`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { error?: { code: string } };
      replies.push({
        replica,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        ...(body.error ? { code: body.error.code } : {}),
      });
    }
    const allowed = replies.filter((reply) => reply.status === 200);
    expect(allowed).toHaveLength(LIMIT);
    // The first LIMIT went through (alternating replicas), everything after was refused, by both.
    expect(replies.slice(0, LIMIT).every((reply) => reply.status === 200)).toBe(true);
    const refused = replies.slice(LIMIT);
    expect(
      refused.every((reply) => reply.status === 429 && reply.code === 'RATE_LIMIT.EXCEEDED'),
    ).toBe(true);
    expect(new Set(refused.map((reply) => reply.replica))).toEqual(new Set([0, 1]));
    for (const reply of refused) {
      expect(Number(reply.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(reply.retryAfter)).toBeLessThanOrEqual(60);
    }
    // The count lives in Redis under this test's prefix.
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
    // Never on health or metrics.
    for (const replica of replicas) {
      expect((await fetch(`${replica.api}/health/live`)).status).toBe(200);
      expect((await fetch(`${replica.api}/metrics`)).status).toBe(200);
    }
  } finally {
    for (const replica of replicas) {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
