/**
 * A raw HTTP/1.1 client over a TCP socket. fetch and node:http refuse to send what a hostile client sends
 * (control characters in headers, invalid UTF-8 in a path, a body that contradicts its Content-Encoding),
 * so the battery writes the request bytes itself and parses the answer (Content-Length or chunked).
 */
import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** Sent as is: may hold bytes a URL parser would reject. */
  readonly path: string | Buffer;
  /** Header values are written byte for byte (latin1), so they may hold control characters. */
  readonly headers: ReadonlyArray<readonly [string, string | Buffer]>;
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The JSON body, or undefined when it is not JSON. */
  readonly json: unknown;
}

const RESPONSE_TIMEOUT_MS = 30_000;

export function sendRaw(origin: URL, request: RawRequest): Promise<RawResponse> {
  const head: Buffer[] = [
    Buffer.from(`${request.method} `, 'latin1'),
    typeof request.path === 'string' ? Buffer.from(request.path, 'latin1') : request.path,
    Buffer.from(' HTTP/1.1\r\n', 'latin1'),
  ];
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers: Array<readonly [string, string | Buffer]> = [...request.headers];
  if (!names.has('host')) headers.push(['Host', origin.host]);
  headers.push(['Connection', 'close']);
  if (request.body !== undefined && !names.has('content-length'))
    headers.push(['Content-Length', String(request.body.length)]);
  for (const [name, value] of headers)
    head.push(
      Buffer.from(`${name}: `, 'latin1'),
      typeof value === 'string' ? Buffer.from(value, 'latin1') : value,
      Buffer.from('\r\n', 'latin1'),
    );
  head.push(Buffer.from('\r\n', 'latin1'));
  const bytes = Buffer.concat(request.body === undefined ? head : [...head, request.body]);
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect({ host: origin.hostname, port: Number(origin.port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(
      () => socket.destroy(new Error(`no complete answer within ${RESPONSE_TIMEOUT_MS} ms`)),
      RESPONSE_TIMEOUT_MS,
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length === 0) reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    // No half-close: the server answers `Connection: close` and ends the connection itself. It may do so
    // before it has read the whole request (e.g. 413), which is its right; a reset after a full answer is fine.
    socket.write(bytes);
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0)
    throw new Error(
      `the server closed the connection without a complete HTTP answer (${raw.length} bytes: ${JSON.stringify(raw.toString('latin1').slice(0, 200))})`,
    );
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) body = dechunk(body);
  else if (headers['content-length'] !== undefined)
    body = body.subarray(0, Number(headers['content-length']));
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(match[1]), headers, text, json };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
