/**
 * Why a load run's first requests wait (issue 12, docs/benchmarks.md "The command path's CPU and
 * approve's p99"): a plain node:http server, no ledger code, spends `work` ms of CPU per request; 64
 * keep-alive connections keep it busy, then 64 new connections each send one request. Node 20's libuv
 * accepts one connection per event-loop turn (libuv/libuv#3696), so the new connections are taken in one
 * turn at a time while every turn serves the busy ones: the printed first answers and accept times show
 * the ramp that autocannon's fresh connections meet at the start of every run of the http bench.
 *
 *   node -r @swc-node/register test/bench/http-accept-ramp.ts [work-ms, default 3]
 */
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { loadavg } from 'node:os';
import { awaitLine, freePort } from './http-load';

const CONNECTIONS = 64;

/** The server, in its own process: `work` ms of CPU per request, answered on the next turn. */
function serve(port: number, workMs: number): void {
  const accepted: number[] = [];
  const server = createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      const until = performance.now() + workMs;
      while (performance.now() < until) {
        // CPU spent as a request handler would (the point of the experiment).
      }
      setImmediate(() => outgoing.end('ok'));
    });
  });
  server.on('connection', () => accepted.push(Date.now()));
  server.listen(port, '127.0.0.1', () => console.log('listening'));
  process.on('message', () => process.send?.(accepted));
}

function send(agent: Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: '/' },
      (incoming) => {
        incoming.resume();
        incoming.on('end', resolve);
      },
    );
    outgoing.on('error', reject);
    outgoing.end('{}');
  });
}

async function main(): Promise<void> {
  const workMs = Number(process.argv[2] ?? '3');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', __filename, '--serve', String(port), String(workMs)],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  await awaitLine({ process: child, stop: async () => undefined }, /(listening)/, 60_000);
  try {
    const busy = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    let stopping = false;
    const loops = Array.from({ length: CONNECTIONS }, async () => {
      while (!stopping) await send(busy, port);
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const started = Date.now();
    const fresh = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const firstAnswersMs: number[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const sent = Date.now();
        await send(fresh, port);
        firstAnswersMs.push(Date.now() - sent);
      }),
    );
    stopping = true;
    await Promise.all(loops);
    const accepted = await new Promise<number[]>((resolve) => {
      child.once('message', (message) => resolve(message as number[]));
      child.send('accepted?');
    });
    const sorted = [...firstAnswersMs].sort((a, b) => a - b);
    const late = accepted.filter((at) => at >= started).map((at) => at - started);
    console.log(
      `${workMs} ms of CPU per request, ${CONNECTIONS} busy keep-alive connections, load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `first answers of ${CONNECTIONS} new connections, ms: min ${sorted[0]}, median ${sorted[CONNECTIONS / 2]}, max ${sorted[CONNECTIONS - 1]}`,
    );
    console.log(
      `accepts after they connected, ms: first ${late[0]}, last ${late[late.length - 1]} (${late.length} accepted, the busy agent's reconnections included)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[2] === '--serve') serve(Number(process.argv[3]), Number(process.argv[4]));
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
