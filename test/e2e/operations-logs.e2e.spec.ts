/**
 * The log of a real ledger-api process (docs/operations.md): started as `npm start` starts it, driven over
 * HTTP with real tokens, stopped; then its whole output is read back. Every line is JSON; start-up,
 * every request (method, route, status, duration, request id, actor), 429s and refusals with their code
 * are there; the JWT secret, the tokens and their signatures are nowhere.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@hz/auth';
import { newUscc } from './support/fixtures';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

type Line = Record<string, any>;

it('writes JSON lines only, with every request and refusal, and never a secret or a token', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hz-logs-'));
  const secret = randomBytes(36).toString('base64');
  const env = {
    ...process.env,
    PORT: '0',
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: dataDir,
    LEDGER_JWT_SECRET: secret,
    LEDGER_LOG_LEVEL: 'debug',
    LEDGER_RATE_LIMIT_PER_MINUTE: '6',
    LEDGER_EVENT_STORE: 'sqlite',
    LEDGER_READ_STORE: 'sqlite',
    DATABASE_URL: '',
  };
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'apps', 'ledger-api', 'src', 'main.ts')],
    { cwd: ROOT, env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const tokens: string[] = [];
  try {
    let startup: Line | undefined;
    for (let attempt = 0; attempt < 1200 && startup === undefined; attempt += 1) {
      startup = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line)
        .find((line) => line['event'] === 'startup');
      if (startup === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (startup === undefined) throw new Error(`ledger-api did not start:\n${stdout}\n${stderr}`);
    const api = String(startup['api']);
    const admin = await mintToken({ sub: 'root-admin', roles: ['admin'], secret, ttl: 600 });
    const auditor = await mintToken({
      sub: 'audrey-auditor',
      roles: ['auditor'],
      secret,
      ttl: 600,
    });
    const forged = await mintToken({
      sub: 'mallory',
      roles: ['admin'],
      secret: randomBytes(36).toString('base64'),
      ttl: 600,
    });
    tokens.push(admin, auditor, forged);
    const call = (method: string, path: string, token?: string, body?: unknown) =>
      fetch(`${api}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body
            ? {
                'content-type': 'application/json',
                'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
              }
            : {}),
          'x-request-id': `logs-${method}-${path.length}-${tokens.length}`,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const uscc = newUscc();
    expect(
      (await call('POST', '/applicants', admin, { uscc, name: 'Log Test Co', district: 'xihu' }))
        .status,
    ).toBe(201);
    expect((await call('GET', `/applicants/${uscc}`, auditor)).status).toBe(200);
    expect((await call('GET', '/policies', forged)).status).toBe(401);
    expect(
      (await call('POST', '/applicants', auditor, { uscc: newUscc(), name: 'x', district: 'xihu' }))
        .status,
    ).toBe(403);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1)
      statuses.push((await call('GET', '/policies', auditor)).status);
    expect(statuses).toContain(429);
    expect((await call('GET', '/health/ready')).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }

  const output = `${stdout}\n${stderr}`;
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as Line;
    } catch {
      throw new Error(`a plain-text line in the log: ${line}`);
    }
  });
  process.stdout.write(
    `sample of the log (${parsed.length} lines):\n${lines
      .filter(
        (_line, index) =>
          index < 3 || /"statusCode":(201|429)|request.refused/.test(lines[index] ?? ''),
      )
      .slice(0, 8)
      .join('\n')}\n`,
  );

  // No secret, no token, not even a token's signature, anywhere.
  expect(output).not.toContain(secret);
  for (const token of tokens) {
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[2]);
  }

  expect(parsed).toContainEqual(
    expect.objectContaining({ level: 'info', event: 'startup', service: 'ledger-api' }),
  );
  const requests = parsed.filter(
    (line) => line['msg'] === 'request completed' || line['msg'] === 'request failed',
  );
  expect(requests).toContainEqual(
    expect.objectContaining({
      level: 'info',
      req: { method: 'POST', path: '/api/v1/applicants' },
      res: { statusCode: 201 },
      route: '/api/v1/applicants',
      actor: 'root-admin',
      requestId: expect.stringMatching(/^logs-POST-/),
      durationMs: expect.any(Number),
    }),
  );
  expect(requests).toContainEqual(
    expect.objectContaining({
      res: { statusCode: 200 },
      route: '/api/v1/applicants/:uscc',
      actor: 'audrey-auditor',
    }),
  );
  expect(requests).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      res: { statusCode: 429 },
      req: { method: 'GET', path: '/api/v1/policies' },
    }),
  );
  expect(requests).toContainEqual(
    expect.objectContaining({
      level: 'debug',
      req: { method: 'GET', path: '/api/v1/health/ready' },
      res: { statusCode: 200 },
    }),
  );
  // Refusals by the AuditLogger, with their code.
  expect(parsed).toContainEqual(
    expect.objectContaining({
      level: 'warn',
      event: 'request.refused',
      component: 'audit',
      status: 401,
      actor: 'anonymous',
    }),
  );
  expect(parsed).toContainEqual(
    expect.objectContaining({
      event: 'request.refused',
      status: 403,
      code: 'AUTH.ROLE_REQUIRED',
      actor: 'audrey-auditor',
    }),
  );
});
