/**
 * The one door to the ledger API (docs/architecture.md §6). Every request carries the user's bearer token;
 * every POST carries an Idempotency-Key. After a command the API answers with its log `position`;
 * later reads send it as X-Min-Position so the projections they read include that command.
 */
import { newIdempotencyKey } from '../lib/ids';
import type { components } from './generated/openapi';

/** The contract's one error body (docs/openapi.json, ErrorBodyDoc). */
type ErrorPayload = components['schemas']['ErrorBodyDoc']['error'];
/** REQUEST.INVALID: the field problems; other codes: an object of facts. */
export type ErrorDetails = NonNullable<ErrorPayload['details']>;

export const API_PREFIX = 'api/v1';

/** A refusal or failure the API explained: `{error:{code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (server down, network gone): a retry may reuse the same key. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

type Query = Readonly<Record<string, string | number | null | undefined>>;

/** May renew the session first (auth/SessionContext.tsx), hence a promise. */
let tokenProvider: () => string | null | Promise<string | null> = () => null;
let unauthorizedHandler: () => void = () => undefined;
const POSITION_KEY = 'hz-ledger.min-position';
/** Kept in sessionStorage so that a reload of the tab still reads its own writes. */
let minPosition: string | null = sessionStorage.getItem(POSITION_KEY);

export function configureClient(options: {
  token: () => string | null | Promise<string | null>;
  onUnauthorized: () => void;
}): void {
  tokenProvider = options.token;
  unauthorizedHandler = options.onUnauthorized;
}

/** Remembers the newest log position a command of ours produced. */
function notePosition(body: unknown): void {
  if (typeof body !== 'object' || body === null || !('position' in body)) return;
  const position = (body as { position: unknown }).position;
  if (typeof position !== 'string' && typeof position !== 'number') return;
  const next = String(position);
  if (!/^[0-9]+$/.test(next)) return;
  if (minPosition === null || BigInt(next) > BigInt(minPosition)) {
    minPosition = next;
    sessionStorage.setItem(POSITION_KEY, next);
  }
}

function urlFor(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  // Relative to the page, so the dashboard works under any mount point of the API.
  return `${API_PREFIX}${path}${search ? `?${search}` : ''}`;
}

async function send<T>(
  method: 'GET' | 'POST',
  path: string,
  init: {
    query?: Query;
    body?: unknown;
    idempotencyKey?: string;
    signal?: AbortSignal;
    /** Receives the answer's X-View-Position (the log position the claim was read at). */
    onViewPosition?: (position: string | null) => void;
  },
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = await tokenProvider();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (method === 'POST') {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = init.idempotencyKey ?? newIdempotencyKey();
  } else if (minPosition !== null) {
    headers['X-Min-Position'] = minPosition;
  }
  let response: Response;
  try {
    response = await fetch(urlFor(path, init.query), {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(init.body ?? {}) : undefined,
      signal: init.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let body: unknown = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401) unauthorizedHandler();
    throw toApiError(response.status, body);
  }
  notePosition(body);
  init.onViewPosition?.(response.headers.get('X-View-Position'));
  return body as T;
}

function toApiError(status: number, body: unknown): ApiError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: unknown }).error
      : null;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as Partial<Record<keyof ErrorPayload, unknown>>;
    return new ApiError(
      status,
      typeof code === 'string' ? code : `HTTP.${status}`,
      typeof message === 'string' ? message : '',
      typeof details === 'object' && details !== null ? (details as ErrorDetails) : null,
    );
  }
  return new ApiError(
    status,
    `HTTP.${status}`,
    typeof body === 'string' ? body.slice(0, 300) : '',
    null,
  );
}

export function get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return send<T>('GET', path, { query, signal });
}

/** A GET and the log position its projection had reached (a decision sends it as its view position). */
export async function getViewed<T>(
  path: string,
  signal?: AbortSignal,
): Promise<{ readonly data: T; readonly viewPosition: string | null }> {
  let viewPosition: string | null = null;
  const data = await send<T>('GET', path, {
    signal,
    onViewPosition: (position) => (viewPosition = position),
  });
  return { data, viewPosition };
}

export function post<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
  return send<T>('POST', path, { body, idempotencyKey });
}

/** A file the API answers (a job's result): the bytes and the name its Content-Disposition gives. */
export async function download(
  path: string,
  signal?: AbortSignal,
): Promise<{ readonly blob: Blob; readonly fileName: string | null }> {
  const headers: Record<string, string> = {};
  const token = await tokenProvider();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(urlFor(path), { headers, signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    if (response.status === 401) unauthorizedHandler();
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the text is the message
    }
    throw toApiError(response.status, body);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), fileName };
}
