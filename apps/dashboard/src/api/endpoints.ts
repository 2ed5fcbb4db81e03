/** The contract's endpoints (docs/architecture.md §6) the dashboard calls, one function each. */
import { get, post } from './client';
import type { CatalogJson } from '../lib/reference';
import type {
  ApplicantProfile,
  CapRow,
  ClaimDetail,
  ClaimListItem,
  CommandResult,
  FiscalRow,
  HistoryEntry,
  OneTimeAward,
  Page,
} from './types';

/** Lists come as `{items, nextCursor}`; tolerate a bare array too. */
function toPage<T>(body: unknown): Page<T> {
  if (Array.isArray(body)) return { items: body as T[], nextCursor: null };
  const object = (body ?? {}) as { items?: unknown; nextCursor?: unknown; cursor?: unknown };
  const items = Array.isArray(object.items) ? (object.items as T[]) : [];
  const next = object.nextCursor ?? object.cursor ?? null;
  return { items, nextCursor: typeof next === 'string' && next.length > 0 ? next : null };
}

/** A read model's rows: `items` (claims, awards), `caps` (caps) or `rows` (fiscal obligations). */
function toItems<T>(body: unknown, field: 'items' | 'caps' | 'rows' = 'items'): readonly T[] {
  if (Array.isArray(body)) return body as T[];
  const list = (body as Record<string, unknown> | null)?.[field];
  return Array.isArray(list) ? (list as T[]) : [];
}

export interface ClaimFilter {
  readonly status?: string;
  readonly applicant?: string;
  readonly programCode?: string;
  readonly supportYear?: number;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export async function listClaims(
  filter: ClaimFilter,
  signal?: AbortSignal,
): Promise<Page<ClaimListItem>> {
  return toPage<ClaimListItem>(await get<unknown>('/claims', { ...filter }, signal));
}

/** Every page of a filtered list, bounded so a huge ledger cannot hang the page. */
export async function listAllClaims(
  filter: ClaimFilter,
  signal?: AbortSignal,
  maxPages = 20,
): Promise<readonly ClaimListItem[]> {
  const items: ClaimListItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const result: Page<ClaimListItem> = await listClaims({ ...filter, cursor }, signal);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function getClaim(claimId: string, signal?: AbortSignal): Promise<ClaimDetail> {
  return get<ClaimDetail>(`/claims/${encodeURIComponent(claimId)}`, undefined, signal);
}

export async function getClaimHistory(
  claimId: string,
  signal?: AbortSignal,
): Promise<readonly HistoryEntry[]> {
  const body = await get<unknown>(
    `/claims/${encodeURIComponent(claimId)}/history`,
    undefined,
    signal,
  );
  if (typeof body === 'object' && body !== null && 'events' in body)
    return (body as { events: HistoryEntry[] }).events;
  return toItems<HistoryEntry>(body);
}

export interface ApplicantMatch {
  readonly uscc: string;
  readonly name: string;
  /** The current district. */
  readonly district: string;
}

/** GET /applicants?name=: applicants whose registered name contains the text (staff), by name then USCC. */
export async function findApplicants(
  query: { name: string; limit?: number },
  signal?: AbortSignal,
): Promise<readonly ApplicantMatch[]> {
  return toItems<ApplicantMatch>(await get<unknown>('/applicants', { ...query }, signal));
}

export function getApplicant(uscc: string, signal?: AbortSignal): Promise<ApplicantProfile> {
  return get<ApplicantProfile>(`/applicants/${encodeURIComponent(uscc)}`, undefined, signal);
}

export async function getCaps(
  query: { applicant: string; supportYear?: number; asOf?: string },
  signal?: AbortSignal,
): Promise<readonly CapRow[]> {
  return toItems<CapRow>(await get<unknown>('/projections/caps', query, signal), 'caps');
}

export async function getOneTimeAwards(
  query: { applicant: string; programCode?: string },
  signal?: AbortSignal,
): Promise<readonly OneTimeAward[]> {
  return toItems<OneTimeAward>(await get<unknown>('/projections/one-time-awards', query, signal));
}

export interface FiscalQuery {
  readonly funder?: string;
  readonly period: 'month' | 'year';
  readonly from?: string;
  readonly to?: string;
  readonly asOf?: string;
  /** 'clause': rows per funder and policy clause (each row carries `clause`). */
  readonly groupBy?: 'clause';
}

export async function getFiscalObligations(
  query: FiscalQuery,
  signal?: AbortSignal,
): Promise<readonly FiscalRow[]> {
  return toItems<FiscalRow>(
    await get<unknown>('/projections/fiscal-obligations', { ...query }, signal),
    'rows',
  );
}

export function decideClaim(
  claimId: string,
  body: { outcome: 'approve' | 'reject'; amount?: string; reasons: string[] },
  idempotencyKey: string,
): Promise<CommandResult> {
  return post<CommandResult>(
    `/claims/${encodeURIComponent(claimId)}/decisions`,
    body,
    idempotencyKey,
  );
}

export function countersignClaim(
  claimId: string,
  body: { outcome: 'confirm' | 'reject'; reasons: string[] },
  idempotencyKey: string,
): Promise<CommandResult> {
  return post<CommandResult>(
    `/claims/${encodeURIComponent(claimId)}/countersignatures`,
    body,
    idempotencyKey,
  );
}

export function recordDisbursement(
  claimId: string,
  body: { funder: 'city' | 'district'; amount: string; paymentRef: string; paidAt: string },
  idempotencyKey: string,
): Promise<CommandResult> {
  return post<CommandResult>(
    `/claims/${encodeURIComponent(claimId)}/disbursements`,
    body,
    idempotencyKey,
  );
}

/** The catalog in force: the last policy GET /policies lists, in full from GET /policies/{id}. */
export async function getCatalog(signal?: AbortSignal): Promise<CatalogJson | null> {
  const list = await get<{ policies?: ReadonlyArray<{ id: string }> }>(
    '/policies',
    undefined,
    signal,
  );
  const policies = list.policies ?? [];
  const current = policies[policies.length - 1];
  return current
    ? get<CatalogJson>(`/policies/${encodeURIComponent(current.id)}`, undefined, signal)
    : null;
}
