/**
 * Sends hostile requests one at a time and checks every answer against the contract (README.md,
 * "Hostile clients"): no 5xx, no stack trace or internal path in the body, errors in the one shape
 * `{error:{code,message,details}}`, and nothing recorded when the request was refused (4xx). Problems are
 * collected per family, so one run reports every broken family at once instead of stopping at the first.
 */
import type { HostileServer } from './hostile-server';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http';

export interface HostileRequest extends RawRequest {
  /** Which `it` reports problems with this request. */
  readonly family: string;
  readonly label: string;
  /** Statuses the request must get, besides the checks every request gets. */
  readonly expectStatus?: readonly number[];
  /** The request must be refused (any 4xx). */
  readonly expectRefused?: boolean;
  /** The request names a future log position: the documented 503 PROJECTION.NOT_CAUGHT_UP is its answer. */
  readonly futurePosition?: boolean;
  /** Sent alongside others: events cannot be attributed to it, the caller counts them for the group. */
  readonly concurrent?: boolean;
}

export interface Sent {
  readonly request: HostileRequest;
  readonly response: RawResponse | undefined;
  readonly recorded: number;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;
const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['internal path /work/', /\/work\//],
  ['node_modules path', /node_modules/],
  ['stack frame', /\bat [^\s"]+ \(?[^\s"]*:\d+:\d+\)?/],
  ['source location', /\.(ts|js):\d+/],
  ['stack property', /"stack"\s*:/],
];
/** What every answer carries once the security headers are set (issue 11). */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, RegExp]> = [
  ['x-content-type-options', /^nosniff$/i],
  ['x-frame-options', /^(deny|sameorigin)$/i],
  ['referrer-policy', /\S/],
  ['content-security-policy', /\S/],
];
const SHOWN_PER_FAMILY = 15;

export class Battery {
  private sent = 0;
  private readonly problems = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly server: HostileServer) {}

  get requestCount(): number {
    return this.sent;
  }

  async send(request: HostileRequest): Promise<Sent> {
    this.sent += 1;
    let response: RawResponse | undefined;
    try {
      response = await sendRaw(this.server.origin, request);
    } catch (error) {
      this.fail(request.family, request, undefined, `no HTTP answer: ${(error as Error).message}`);
    }
    // An accepted write names its position; one without (e.g. a checkpoint) is waited for, so that nothing
    // it appended is blamed on the next request. After a refusal, one direct read of the store suffices.
    const position = (response?.json as { position?: unknown } | undefined)?.position;
    const accepted = response !== undefined && response.status < 300 && request.concurrent !== true;
    if (accepted && typeof position === 'string' && /^[0-9]+$/.test(position))
      this.server.accepted(BigInt(position));
    const settle = accepted && request.method === 'POST' && typeof position !== 'string';
    const recorded =
      request.concurrent === true ? 0 : (await this.server.newEvents({ settle })).length;
    if (response) this.inspect(request, response, recorded);
    return { request, response, recorded };
  }

  /** Problems of the given families, for the `it` that owns them. */
  report(...families: string[]): string[] {
    const lines: string[] = [];
    for (const family of families) {
      const count = this.counts.get(family) ?? 0;
      if (count === 0) continue;
      lines.push(
        `${family}: ${count} problem(s)`,
        ...(this.problems.get(family) ?? []).map((line) => `  ${line}`),
      );
    }
    return lines;
  }

  fail(
    family: string,
    request: HostileRequest,
    response: RawResponse | undefined,
    problem: string,
  ): void {
    this.counts.set(family, (this.counts.get(family) ?? 0) + 1);
    const shown = this.problems.get(family) ?? [];
    if (shown.length < SHOWN_PER_FAMILY) {
      const path =
        typeof request.path === 'string' ? request.path : `<bytes ${request.path.toString('hex')}>`;
      const answer = response ? `${response.status} ${response.text.slice(0, 240)}` : 'no answer';
      shown.push(
        `[${request.label}] ${request.method} ${path.slice(0, 160)} -> ${answer} :: ${problem}`,
      );
    }
    this.problems.set(family, shown);
  }

  private inspect(request: HostileRequest, response: RawResponse, recorded: number): void {
    const { family } = request;
    if (isParserRefusal(request, response)) return;
    const code = errorCodeOf(response);
    const documented503 =
      request.futurePosition === true &&
      response.status === 503 &&
      code === 'PROJECTION.NOT_CAUGHT_UP';
    if (response.status >= 500 && !documented503)
      this.fail(family, request, response, `server error ${response.status}`);
    for (const [what, pattern] of LEAKS) {
      if (pattern.test(response.text))
        this.fail(family, request, response, `the body leaks a ${what}`);
    }
    if (response.status >= 400) {
      const shape = shapeProblem(response);
      if (shape) this.fail(family, request, response, shape);
      if (recorded > 0 && request.concurrent !== true)
        this.fail(
          family,
          request,
          response,
          `refused with ${response.status} but ${recorded} event(s) were recorded`,
        );
    }
    if (request.expectStatus && !request.expectStatus.includes(response.status)) {
      this.fail(family, request, response, `expected ${request.expectStatus.join(' or ')}`);
    }
    if (request.expectRefused === true && (response.status < 400 || response.status >= 500))
      this.fail(family, request, response, 'expected a refusal (4xx)');
    for (const [name, pattern] of SECURITY_HEADERS) {
      const value = response.headers[name];
      if (value === undefined || !pattern.test(value))
        this.fail('security headers', request, response, `header ${name}: ${value ?? 'missing'}`);
    }
  }
}

/** Node's default limit on a request's head (--max-http-header-size). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * A request whose head is over Node's limit never reaches the API: Node's HTTP parser answers it
 * (431 or 414, no body) and closes. That answer, and only for such requests, is accepted as it is.
 */
function isParserRefusal(request: HostileRequest, response: RawResponse): boolean {
  const headBytes =
    request.path.length +
    request.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
  return (
    headBytes > MAX_HEAD_BYTES &&
    (response.status === 431 || response.status === 414) &&
    response.text === ''
  );
}

export function errorCodeOf(response: RawResponse): string | undefined {
  const body = response.json as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
}

/** The contract's one error shape: `{error:{code, message, details?}}` as JSON, and nothing else. */
function shapeProblem(response: RawResponse): string | undefined {
  if (!(response.headers['content-type'] ?? '').startsWith('application/json'))
    return `error content-type ${response.headers['content-type'] ?? 'missing'}`;
  const body = response.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'error body is not a JSON object';
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return `error body keys ${JSON.stringify(keys)}`;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || Array.isArray(error))
    return 'error is not an object';
  const { code, message, details } = error as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
  };
  if (typeof code !== 'string' || !ERROR_CODE.test(code))
    return `error code ${JSON.stringify(code)} is not a stable code`;
  if (typeof message !== 'string' || message.length === 0) return 'error message missing';
  if (details !== undefined && (typeof details !== 'object' || details === null))
    return 'error details is neither an object nor an array';
  const extra = Object.keys(error).filter((key) => !['code', 'message', 'details'].includes(key));
  if (extra.length > 0) return `error has extra keys ${extra.join(', ')}`;
  return undefined;
}
