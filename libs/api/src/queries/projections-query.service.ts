/**
 * The read side's application service: waits for X-Min-Position when asked, reads the ReadStore (the
 * active generation) and shapes the answer. No Nest types beyond DI, so the CLI can use it too.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  fiscalReport,
  waitForPosition,
  MIN_POSITION_WAIT_DEFAULT_MS,
  type AuditEntry,
  type Checkpoint,
  type ClaimStatus,
  type FiscalPeriodKind,
  type ReadStoreReader,
} from '@hz/projections';
import { READ_STORE } from '../tokens';
import { awardView, capView, checkpointView, claimView } from './query-views';
import { encodeCursor } from './query-params';

export const PROJECTION_QUERY_OPTIONS = Symbol.for('hz.ProjectionQueryOptions');

export interface ProjectionQueryOptions {
  /** How long a query with X-Min-Position waits for the projection (ms, default 5000, at most 30000). */
  readonly minPositionWaitMs: number;
}

export interface ClaimQueueFilter {
  readonly status?: ClaimStatus;
  readonly applicant?: string;
  readonly programCode?: string;
  readonly supportYear?: number;
  readonly after?: bigint;
  readonly limit: number;
}

export interface AuditTrailFilter {
  /** Only events of this type (one of CLAIM_EVENT_TYPES). */
  readonly type?: string;
  /** Keyset cursor: entries after this log position. */
  readonly after?: bigint;
  readonly limit: number;
}

export interface FiscalQuery {
  readonly funder?: string;
  readonly period: FiscalPeriodKind;
  readonly from?: string;
  readonly to?: string;
  readonly asOf?: { readonly iso: string; readonly ms: number };
  /** 'clause': rows per funder and policy clause (each row carries `clause`); omitted: rows per funder. */
  readonly groupBy?: 'clause';
}

@Injectable()
export class ProjectionsQueryService {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStoreReader,
    @Inject(PROJECTION_QUERY_OPTIONS)
    private readonly options: ProjectionQueryOptions = {
      minPositionWaitMs: MIN_POSITION_WAIT_DEFAULT_MS,
    },
  ) {}

  /** The checkpoint the answer is based on; with `minPosition`, only once the projection has reached it. */
  async ready(minPosition: bigint | undefined): Promise<Checkpoint | null> {
    if (minPosition === undefined) return this.store.activeCheckpoint();
    return waitForPosition(this.store, minPosition, this.options.minPositionWaitMs);
  }

  async listClaims(filter: ClaimQueueFilter, minPosition?: bigint) {
    const checkpoint = await this.ready(minPosition);
    const { after, ...rest } = filter;
    const page = await this.store.listClaims({
      ...rest,
      ...(after === undefined ? {} : { afterSubmittedPosition: after }),
    });
    return {
      items: page.items.map(claimView),
      nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter),
      checkpoint: checkpointView(checkpoint),
    };
  }

  async caps(
    applicant: string,
    supportYear: number | undefined,
    asOf: FiscalQuery['asOf'],
    minPosition?: bigint,
  ) {
    const checkpoint = await this.ready(minPosition);
    const rows = await this.store.caps(applicant, asOf === undefined ? {} : { asOfMs: asOf.ms });
    // An annual cap belongs to its support year; one-time, per-subject and applicant-wide caps to every year.
    const inYear = rows.filter(
      (row) =>
        supportYear === undefined || row.supportYear === null || row.supportYear === supportYear,
    );
    return {
      applicant,
      supportYear: supportYear ?? null,
      asOf: asOf?.iso ?? null,
      checkpoint: checkpointView(checkpoint),
      caps: inYear.map(capView),
    };
  }

  async findApplicants(nameContains: string, limit: number, minPosition?: bigint) {
    const checkpoint = await this.ready(minPosition);
    const rows = await this.store.findApplicants({ nameContains, limit });
    return {
      name: nameContains,
      limit,
      items: rows.map((row) => ({ uscc: row.uscc, name: row.name, district: row.district })),
      checkpoint: checkpointView(checkpoint),
    };
  }

  async oneTimeAwards(
    filter: { readonly applicant?: string; readonly programCode?: string },
    minPosition?: bigint,
  ) {
    const checkpoint = await this.ready(minPosition);
    const rows = await this.store.oneTimeAwards(filter);
    return { items: rows.map(awardView), checkpoint: checkpointView(checkpoint) };
  }

  async fiscalObligations(query: FiscalQuery, minPosition?: bigint) {
    const checkpoint = await this.ready(minPosition);
    const toMonth =
      query.to === undefined ? undefined : query.period === 'month' ? query.to : `${query.to}-12`;
    const buckets = await this.store.fiscalBuckets({
      ...(query.funder === undefined ? {} : { funder: query.funder }),
      ...(toMonth === undefined ? {} : { toMonth }),
      ...(query.asOf === undefined ? {} : { asOfMs: query.asOf.ms }),
    });
    const { asOf: _asOf, ...reportQuery } = query;
    return {
      funder: query.funder ?? null,
      period: query.period,
      from: query.from ?? null,
      to: query.to ?? null,
      asOf: query.asOf?.iso ?? null,
      ...(query.groupBy === undefined ? {} : { groupBy: query.groupBy }),
      checkpoint: checkpointView(checkpoint),
      rows: fiscalReport(buckets, reportQuery),
    };
  }

  /** For GET /claims/{id} and /history if the HTTP layer wants projection-backed answers. */
  async claim(claimId: string) {
    const claim = await this.store.getClaim(claimId);
    return claim === undefined ? undefined : claimView(claim);
  }

  async claimHistory(claimId: string) {
    return (await this.store.claimHistory(claimId)).map(auditEntryView);
  }

  /** GET /projections/audit-trail: the audit-trail model, every claim's events in log order, a page at a time. */
  async auditTrail(filter: AuditTrailFilter, minPosition?: bigint) {
    const checkpoint = await this.ready(minPosition);
    const page = await this.store.auditTrail({
      limit: filter.limit,
      ...(filter.type === undefined ? {} : { type: filter.type }),
      ...(filter.after === undefined ? {} : { afterPosition: filter.after }),
    });
    return {
      items: page.items.map(auditEntryView),
      nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter),
      checkpoint: checkpointView(checkpoint),
    };
  }
}

/** An audit-trail row as the API shows it: positions as decimal strings, the event data as JSON. */
function auditEntryView({ dataJson, ...entry }: AuditEntry) {
  return {
    ...entry,
    position: entry.position.toString(),
    revision: entry.revision.toString(),
    data: JSON.parse(dataJson) as unknown,
  };
}
