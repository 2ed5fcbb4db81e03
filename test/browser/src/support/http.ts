/** A minimal JSON client for the suite's own set-up and for reading what the API says (the oracle). */
import { randomUUID } from 'node:crypto';

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async get<T = unknown>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<Reply<T>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    const response = await fetch(`${this.base}${path}${search ? `?${search}` : ''}`, {
      headers: { Authorization: `Bearer ${this.token}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async post<T = unknown>(path: string, body: unknown): Promise<Reply<T>> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Every item of a paged list (`{items, nextCursor}`), bounded. */
  async all<T = unknown>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 200; page += 1) {
      const reply = await this.get<{ items: T[]; nextCursor?: string | null }>(path, {
        ...query,
        cursor,
      });
      if (reply.status !== 200)
        throw new Error(`GET ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      items.push(...reply.body.items);
      if (!reply.body.nextCursor) return items;
      cursor = reply.body.nextCursor;
    }
    throw new Error(`GET ${path}: more than 200 pages`);
  }
}

export function expectStatus(reply: Reply, status: number, what: string): void {
  if (reply.status !== status)
    throw new Error(
      `${what}: expected HTTP ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`,
    );
}
