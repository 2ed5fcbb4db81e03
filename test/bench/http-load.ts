/**
 * The load side of `npm run bench -- http` (test/bench/http.bench.ts): autocannon at a fixed connection
 * count for throughput and latency, a single sequential keep-alive client for per-command latency, and the
 * child processes the measured servers run in (so the load generator never shares their event loop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';

/** The part of autocannon's options and result this bench uses (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests: Array<
    AutocannonRequest & {
      /** `context` is the connection's, kept from a request's setup to its response, then cleared. */
      setupRequest?: (request: AutocannonRequest, context: ConnectionContext) => AutocannonRequest;
      onResponse?: (status: number, body: string, context: ConnectionContext) => void;
    }
  >;
}
interface AutocannonResult {
  readonly duration: number;
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: { readonly p50: number; readonly p99: number };
}
/** What load() keeps on a request's context (autocannon clears it before each request it builds). */
interface ConnectionContext {
  sentAtNs?: bigint;
  /** One of the first requests of the run: each connection's first (autocannon sends one per connection). */
  first?: boolean;
}
const autocannon = require('autocannon') as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

export const CONNECTIONS = 64;

export interface LoadFigure {
  /** Successful (2xx) answers per second of the run. */
  readonly requestsPerSecond: number;
  readonly ok: number;
  /** Answers other than 2xx, connection errors and timeouts (each a fault of the run, shown beside it). */
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * p99 of the answers after the connections' first requests (timed here, from setupRequest to onResponse): the
   * run without its start-up. autocannon opens its connections at the start of every run, and Node 20's
   * libuv (>= 1.45, libuv/libuv#3696) accepts one connection per event-loop turn, so under load the
   * service takes in the 64 new connections one turn at a time, and the first request of the last ones
   * waits for dozens of turns (docs/benchmarks.md, "The command path's CPU and approve's p99").
   */
  readonly p99AfterFirstMs?: number;
  /** The slowest first answer of a connection (its connection accepted late), in ms. */
  readonly firstAnswerMaxMs?: number;
}

export interface NextRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface LoadPlan {
  /** Origin of the server, e.g. http://127.0.0.1:3000. */
  readonly origin: string;
  /** Each request is built afresh (unique USCCs, Idempotency-Keys, claims). */
  readonly next: () => NextRequest;
  readonly onResponse?: (status: number, body: string) => void;
  readonly connections?: number;
  /** Seconds of load; or `amount`: this many requests. */
  readonly seconds?: number;
  readonly amount?: number;
}

/** One autocannon run. Its latencies are in milliseconds as autocannon measures them. */
export async function load(plan: LoadPlan): Promise<LoadFigure> {
  if (plan.amount === 0) return { requestsPerSecond: 0, ok: 0, failed: 0, p50Ms: NaN, p99Ms: NaN };
  const connections = Math.min(
    plan.connections ?? CONNECTIONS,
    plan.amount ?? Number.MAX_SAFE_INTEGER,
  );
  const firstAnswersMs: number[] = [];
  let sent = 0;
  const laterAnswersMs: number[] = [];
  const result = await autocannon({
    url: plan.origin,
    // autocannon refuses more connections than requests.
    connections,
    ...(plan.amount === undefined ? { duration: plan.seconds ?? 10 } : { amount: plan.amount }),
    timeout: 30,
    requests: [
      {
        setupRequest: (previous, context) => {
          const next = plan.next();
          context.sentAtNs = process.hrtime.bigint();
          sent += 1;
          context.first = sent <= connections;
          return {
            ...previous,
            method: next.method,
            path: next.path,
            headers: next.headers,
            ...(next.body === undefined ? {} : { body: next.body }),
          };
        },
        onResponse: (status, body, context) => {
          if (context.sentAtNs !== undefined) {
            const ms = Number(process.hrtime.bigint() - context.sentAtNs) / 1e6;
            (context.first === true ? firstAnswersMs : laterAnswersMs).push(ms);
          }
          plan.onResponse?.(status, body);
        },
      },
    ],
  });
  const ok = result['2xx'];
  const later = latencyOf(laterAnswersMs, 0);
  return {
    requestsPerSecond: Math.round(ok / result.duration),
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p99AfterFirstMs: Math.round(later.p99Ms),
    firstAnswerMaxMs: Math.round(Math.max(...firstAnswersMs)),
  };
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  /** When the whole answer had arrived (process.hrtime.bigint()). */
  readonly atNs: bigint;
}

/** One keep-alive connection, one request at a time: the single sequential client. */
export class SequentialClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly origin: string) {}

  send(next: NextRequest): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        `${this.origin}${next.path}`,
        { method: next.method, headers: next.headers, agent: this.agent },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              atNs: process.hrtime.bigint(),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(next.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LatencyFigure {
  readonly count: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function latencyOf(samplesMs: readonly number[], failed: number): LatencyFigure {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (quantile: number): number =>
    sorted.length === 0
      ? Number.NaN
      : (sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? Number.NaN);
  return {
    count: sorted.length,
    failed,
    p50Ms: Math.round(at(0.5) * 100) / 100,
    p99Ms: Math.round(at(0.99) * 100) / 100,
  };
}

/**
 * `count` steps one after the other on one keep-alive connection; each step returns its latency in ms,
 * or undefined when its answer was not the expected one (counted as failed).
 */
export async function sampleSequentially(
  origin: string,
  count: number,
  step: (client: SequentialClient) => Promise<number | undefined>,
): Promise<LatencyFigure> {
  const client = new SequentialClient(origin);
  const samples: number[] = [];
  let failed = 0;
  try {
    for (let index = 0; index < count; index += 1) {
      const sample = await step(client);
      if (sample === undefined) failed += 1;
      else samples.push(sample);
    }
  } finally {
    client.close();
  }
  return latencyOf(samples, failed);
}

/** `count` requests one after the other; the latency of each from sending to the whole answer. */
export function sequential(
  origin: string,
  count: number,
  next: () => NextRequest,
): Promise<LatencyFigure> {
  return sampleSequentially(origin, count, async (client) => {
    const started = process.hrtime.bigint();
    const answer = await client.send(next());
    return answer.status >= 200 && answer.status < 300
      ? Number(answer.atNs - started) / 1e6
      : undefined;
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Child {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `node -r @swc-node/register <entry> ...args`, its output passed through on failure only. */
export function spawnTs(entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null)
      process.stderr.write(`${entry} exited with ${code}:\n${stderr}\n`);
  });
  return {
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Resolves with the first stdout line matching `pattern` (its first group), or rejects after `timeoutMs`. */
export function awaitLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.process.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = pattern.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    });
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before printing ${pattern}`));
    });
  });
}

/** Polls `url` until it answers 200, or rejects after `timeoutMs`. */
export async function awaitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not healthy within ${timeoutMs} ms`);
}
