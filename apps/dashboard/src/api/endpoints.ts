/**
 * The contract's endpoints (docs/architecture.md §6) the dashboard calls, one function each. Every type
 * here comes from the OpenAPI document (docs/openapi.json → generated/openapi.d.ts, written by
 * `node scripts/openapi.mjs --types` in the dashboard's build and type check): a field the API does not
 * send cannot be read, and a change of the contract fails the dashboard's type check.
 */
import { get, post } from './client';
import type { components, paths } from './generated/openapi';
import type { CatalogJson } from '../lib/reference';

type Schemas = components['schemas'];
type Method = 'get' | 'post';
type PathWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { readonly responses: object } ? P : never;
}[keyof paths];
/** The JSON body of an operation's 2xx answer, as the document declares it. */
type Answer<P extends PathWith<M>, M extends Method> = paths[P][M] extends {
  readonly responses: infer R;
}
  ? {
      [S in keyof R]: S extends 200 | 201
        ? R[S] extends { content: { 'application/json': infer T } }
          ? T
          : never
        : never;
    }[keyof R]
  : never;
/** The JSON body an operation takes. */
type Body<P extends PathWith<'post'>> = paths[P]['post'] extends {
  readonly requestBody: { readonly content: { readonly 'application/json': infer T } };
}
  ? T
  : never;

export type ClaimStatus = Schemas['ClaimViewDoc']['status'];
export type Funder = Schemas['MovementDoc']['funder'];
export type FunderAmounts = Schemas['FunderAmountsDoc'];
export type TraceStep = Schemas['TraceStepDoc'];
export type ClaimDetail = Answer<'/api/v1/claims/{id}', 'get'>;
export type HistoryEntry = Answer<'/api/v1/claims/{id}/history', 'get'>['events'][number];
export type ClaimPage = Answer<'/api/v1/claims', 'get'>;
export type ClaimListItem = ClaimPage['items'][number];
export type ApplicantProfile = Answer<'/api/v1/applicants/{uscc}', 'get'>;
export type ApplicantMatch = Answer<'/api/v1/applicants', 'get'>['items'][number];
export type CapRow = Answer<'/api/v1/projections/caps', 'get'>['caps'][number];
export type OneTimeAward = Answer<'/api/v1/projections/one-time-awards', 'get'>['items'][number];
export type FiscalRow = Answer<'/api/v1/projections/fiscal-obligations', 'get'>['rows'][number];
/** What a write on a claim answers (decide, countersign, pay): the claim's new state and the log position. */
export type ClaimWriteResult = Schemas['ClaimWriteResultDoc'];

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface ClaimFilter {
  readonly status?: string;
  readonly applicant?: string;
  readonly programCode?: string;
  readonly supportYear?: number;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export async function listClaims(filter: ClaimFilter, signal?: AbortSignal): Promise<ClaimPage> {
  return get<ClaimPage>('/claims', { ...filter }, signal);
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
    const result: ClaimPage = await listClaims({ ...filter, cursor }, signal);
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
  const body = await get<Answer<'/api/v1/claims/{id}/history', 'get'>>(
    `/claims/${encodeURIComponent(claimId)}/history`,
    undefined,
    signal,
  );
  return body.events;
}

/** GET /applicants?name=: applicants whose registered name contains the text (staff), by name then USCC. */
export async function findApplicants(
  query: { name: string; limit?: number },
  signal?: AbortSignal,
): Promise<readonly ApplicantMatch[]> {
  const body = await get<Answer<'/api/v1/applicants', 'get'>>('/applicants', { ...query }, signal);
  return body.items;
}

export function getApplicant(uscc: string, signal?: AbortSignal): Promise<ApplicantProfile> {
  return get<ApplicantProfile>(`/applicants/${encodeURIComponent(uscc)}`, undefined, signal);
}

export async function getCaps(
  query: { applicant: string; supportYear?: number; asOf?: string },
  signal?: AbortSignal,
): Promise<readonly CapRow[]> {
  const body = await get<Answer<'/api/v1/projections/caps', 'get'>>(
    '/projections/caps',
    query,
    signal,
  );
  return body.caps;
}

export async function getOneTimeAwards(
  query: { applicant: string; programCode?: string },
  signal?: AbortSignal,
): Promise<readonly OneTimeAward[]> {
  const body = await get<Answer<'/api/v1/projections/one-time-awards', 'get'>>(
    '/projections/one-time-awards',
    query,
    signal,
  );
  return body.items;
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
  const body = await get<Answer<'/api/v1/projections/fiscal-obligations', 'get'>>(
    '/projections/fiscal-obligations',
    { ...query },
    signal,
  );
  return body.rows;
}

export function decideClaim(
  claimId: string,
  body: Body<'/api/v1/claims/{id}/decisions'>,
  idempotencyKey: string,
): Promise<ClaimWriteResult> {
  return post<ClaimWriteResult>(
    `/claims/${encodeURIComponent(claimId)}/decisions`,
    body,
    idempotencyKey,
  );
}

export function countersignClaim(
  claimId: string,
  body: Body<'/api/v1/claims/{id}/countersignatures'>,
  idempotencyKey: string,
): Promise<ClaimWriteResult> {
  return post<ClaimWriteResult>(
    `/claims/${encodeURIComponent(claimId)}/countersignatures`,
    body,
    idempotencyKey,
  );
}

export function recordDisbursement(
  claimId: string,
  body: Body<'/api/v1/claims/{id}/disbursements'>,
  idempotencyKey: string,
): Promise<ClaimWriteResult> {
  return post<ClaimWriteResult>(
    `/claims/${encodeURIComponent(claimId)}/disbursements`,
    body,
    idempotencyKey,
  );
}

/** The catalog in force: the last policy GET /policies lists, in full from GET /policies/{id}. */
export async function getCatalog(signal?: AbortSignal): Promise<CatalogJson | null> {
  const list = await get<Answer<'/api/v1/policies', 'get'>>('/policies', undefined, signal);
  const current = list.policies[list.policies.length - 1];
  return current
    ? get<CatalogJson>(`/policies/${encodeURIComponent(current.id)}`, undefined, signal)
    : null;
}
