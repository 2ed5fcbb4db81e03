/** A tiny fetch client: every call says who acts (a token) and, for writes, an Idempotency-Key. */
import { randomUUID } from 'node:crypto';

export interface Reply {
  readonly status: number;
  // The bodies are JSON of many shapes; tests read the fields they assert on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly key?: string | null;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export class Client {
  constructor(
    private readonly api: string,
    private readonly token?: string,
  ) {}

  as(token: string): Client {
    return new Client(this.api, token);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('GET', path, undefined, { key: null, headers });
  }

  /** POST with a fresh Idempotency-Key unless one is given (null sends none). */
  post(path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply> {
    return this.send('POST', path, body, options);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (method === 'POST') {
      headers['content-type'] ??= 'application/json';
      const key = options.key === undefined ? randomUUID() : options.key;
      if (key !== null) headers['idempotency-key'] = key;
    }
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await fetch(`${this.api}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Non-JSON bodies (metrics) stay text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
}
