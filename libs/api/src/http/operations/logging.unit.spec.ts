/**
 * The request log line (docs/operations.md, "Logs") through a real node:http server: its fields in
 * order, its level by status, and nothing built when the level is off.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, lineDestination, requestLoggingMiddleware } from './logging';

type Line = Record<string, unknown>;

async function serve(
  level: string,
  answer: (response: import('node:http').ServerResponse, path: string) => void,
): Promise<{ server: Server; port: number; lines: Line[] }> {
  const lines: Line[] = [];
  const logger = createLogger({
    level,
    destination: lineDestination((line) => lines.push(JSON.parse(line) as Line)),
  });
  const middleware = requestLoggingMiddleware(logger);
  const server = createServer((request, response) => {
    const req = Object.assign(request, {
      requestId: 'req-1',
      originalUrl: request.url,
      route: { path: '/api/v1/things/:id' },
      user: { sub: 'alice', roles: [] },
    });
    middleware(req as never, response, () => answer(response, request.url ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, lines };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

async function logged(level: string, path: string, status: number): Promise<Line[]> {
  const { server, port, lines } = await serve(level, (response) => {
    response.statusCode = status;
    response.end('{}');
  });
  try {
    await get(port, path);
    // The line is written on the response's finish, which may follow the client's end by a turn.
    for (let turn = 0; turn < 50 && lines.length === 0; turn += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    return lines;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('the request log', () => {
  it('writes one line per request: requestId, req (path without query), res, durationMs, route, actor, msg', async () => {
    const [line, ...rest] = await logged('info', '/api/v1/things/7?secret=x', 201);
    expect(rest).toEqual([]);
    expect(Object.keys(line ?? {})).toEqual([
      'level',
      'time',
      'service',
      'requestId',
      'req',
      'res',
      'durationMs',
      'route',
      'actor',
      'msg',
    ]);
    expect(line).toMatchObject({
      level: 'info',
      service: 'ledger-api',
      requestId: 'req-1',
      req: { method: 'GET', path: '/api/v1/things/7' },
      res: { statusCode: 201 },
      durationMs: expect.any(Number),
      route: '/api/v1/things/:id',
      actor: 'alice',
      msg: 'request completed',
    });
  });

  it('4xx at warn, 5xx at error as "request failed" without an err, health at debug (503 at warn)', async () => {
    expect(await logged('debug', '/api/v1/things/7', 429)).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'request completed' }),
    ]);
    const [failed] = await logged('debug', '/api/v1/things/7', 500);
    expect(failed).toMatchObject({ level: 'error', msg: 'request failed' });
    expect(failed).not.toHaveProperty('err');
    expect(await logged('debug', '/api/v1/health/live', 200)).toEqual([
      expect.objectContaining({ level: 'debug', msg: 'request completed' }),
    ]);
    expect(await logged('debug', '/api/v1/health/ready', 503)).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'request failed' }),
    ]);
  });

  it('writes nothing below its level: a 2xx at warn, a health probe at info', async () => {
    expect(await logged('warn', '/api/v1/things/7', 200)).toEqual([]);
    expect(await logged('info', '/api/v1/health/live', 200)).toEqual([]);
  });
});
