/**
 * The contract's endpoints (docs/architecture.md §6) the dashboard calls, one function each. Every type
 * here comes from the OpenAPI document (docs/openapi.json → generated/openapi.d.ts, written by
 * `node scripts/openapi.mjs --types` in the dashboard's build and type check): a field the API does not
 * send cannot be read, and a change of the contract fails the dashboard's type check.
 */
import { download, get, getViewed, post } from './client';
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
/** A fiscal year's post-close adjustments, listed apart (docs/operations.md "Period close"). */
export type PeriodAdjustments = Answer<'/api/v1/periods/{period}/adjustments', 'get'>;
/** What a write on a claim answers (decide, countersign, pay): the claim's new state and the log position. */
export type ClaimWriteResult = Schemas['ClaimWriteResultDoc'];

export interface ClaimFilter {
  readonly status?: string;
  readonly applicant?: string;
  readonly programCode?: string;
  readonly supportYear?: number;
  readonly cursor?: string | null;
  readonly limit?: number;
}

type Query = Parameters<typeof get>[1];

/**
 * A GET of the contract, typed by its operation: `{name}` in the path is filled from `params` (encoded),
 * and the answer is the operation's documented body.
 */
function read<P extends PathWith<'get'>>(
  path: P,
  request: { readonly params?: Readonly<Record<string, string>>; readonly query?: Query },
  signal?: AbortSignal,
): Promise<Answer<P, 'get'>> {
  const filled = path
    .slice('/api/v1'.length)
    .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
  return get<Answer<P, 'get'>>(filled, request.query, signal);
}

export function listClaims(filter: ClaimFilter, signal?: AbortSignal): Promise<ClaimPage> {
  return read('/api/v1/claims', { query: { ...filter } }, signal);
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

/** A claim as the reviewer sees it, and the log position of that view (sent back with a decision). */
export type ViewedClaim = ClaimDetail & { readonly viewPosition: string | null };

export async function getClaim(claimId: string, signal?: AbortSignal): Promise<ViewedClaim> {
  const viewed = await getViewed<ClaimDetail>(`/claims/${encodeURIComponent(claimId)}`, signal);
  return { ...viewed.data, viewPosition: viewed.viewPosition };
}

export async function getClaimHistory(
  claimId: string,
  signal?: AbortSignal,
): Promise<readonly HistoryEntry[]> {
  return (await read('/api/v1/claims/{id}/history', { params: { id: claimId } }, signal)).events;
}

/** GET /applicants?name=: applicants whose registered name contains the text (staff), by name then USCC. */
export async function findApplicants(
  query: { name: string; limit?: number },
  signal?: AbortSignal,
): Promise<readonly ApplicantMatch[]> {
  return (await read('/api/v1/applicants', { query: { ...query } }, signal)).items;
}

export function getApplicant(uscc: string, signal?: AbortSignal): Promise<ApplicantProfile> {
  return read('/api/v1/applicants/{uscc}', { params: { uscc } }, signal);
}

export async function getCaps(
  query: { applicant: string; supportYear?: number; asOf?: string },
  signal?: AbortSignal,
): Promise<readonly CapRow[]> {
  return (await read('/api/v1/projections/caps', { query }, signal)).caps;
}

export async function getOneTimeAwards(
  query: { applicant: string; programCode?: string },
  signal?: AbortSignal,
): Promise<readonly OneTimeAward[]> {
  return (await read('/api/v1/projections/one-time-awards', { query }, signal)).items;
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
  return (await read('/api/v1/projections/fiscal-obligations', { query: { ...query } }, signal))
    .rows;
}

export function getPeriodAdjustments(
  period: string,
  signal?: AbortSignal,
): Promise<PeriodAdjustments> {
  return read('/api/v1/periods/{period}/adjustments', { params: { period } }, signal);
}

type ClaimWritePath = Extract<PathWith<'post'>, `/api/v1/claims/{id}/${string}`>;

/** A write on one claim: POST /claims/{id}/<action> with the operation's body, answering the claim's new state. */
function claimWrite<P extends ClaimWritePath>(path: P) {
  const action = path.slice('/api/v1/claims/{id}/'.length);
  return (claimId: string, body: Body<P>, idempotencyKey: string): Promise<ClaimWriteResult> =>
    post<ClaimWriteResult>(
      `/claims/${encodeURIComponent(claimId)}/${action}`,
      body,
      idempotencyKey,
    );
}

export const decideClaim = claimWrite('/api/v1/claims/{id}/decisions');
export const countersignClaim = claimWrite('/api/v1/claims/{id}/countersignatures');
export const recordDisbursement = claimWrite('/api/v1/claims/{id}/disbursements');

/** The catalog in force: the last policy GET /policies lists, in full from GET /policies/{id}. */
export async function getCatalog(signal?: AbortSignal): Promise<CatalogJson | null> {
  const list = await read('/api/v1/policies', {}, signal);
  const current = list.policies[list.policies.length - 1];
  return current
    ? get<CatalogJson>(`/policies/${encodeURIComponent(current.id)}`, undefined, signal)
    : null;
}

/** A verify or export job (issue 13): state, events done/total, rate and ETA, and its result when done. */
export type AuditJob = Schemas['AuditJobDoc'];

/** POST /audit/export-jobs: the xlsx as a job; answers at once (202) with the job. */
export function startExportJob(
  query: { readonly asOf?: string; readonly byFunder: boolean },
  idempotencyKey: string,
): Promise<AuditJob> {
  const params = new URLSearchParams({ format: 'xlsx', byFunder: String(query.byFunder) });
  if (query.asOf) params.set('asOf', query.asOf);
  return post<AuditJob>(`/audit/export-jobs?${params.toString()}`, {}, idempotencyKey);
}

export function getAuditJob(id: string, signal?: AbortSignal): Promise<AuditJob> {
  return read('/api/v1/audit/jobs/{id}', { params: { id } }, signal);
}

/** GET /audit/jobs/{id}/result: the finished job's file. */
export function downloadJobResult(
  id: string,
  signal?: AbortSignal,
): Promise<{ readonly blob: Blob; readonly fileName: string | null }> {
  return download(`/audit/jobs/${encodeURIComponent(id)}/result`, signal);
}
