/**
 * GET /projections/caps, /projections/one-time-awards, /projections/fiscal-obligations (read models, asOf)
 * and /projections/audit-trail (the audit-trail model: every claim event in log order, paged).
 */
import { Get } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Roles, ROLES, STAFF_ROLES } from '@hz/auth';
import { CLAIM_EVENT_TYPES } from '@hz/projections';
import { ProjectionReadRequest, type ProjectionRead } from './projection-read';
import { withoutUndefined } from './claims-queue.http.controller';
import { ProjectionsQueryService } from './projections-query.service';
import {
  ApiCursorQuery,
  ApiLimitQuery,
  ApiProjectionRead,
  ProjectionReadController,
} from './query-api-docs';
import { applicantScope } from './query-access';
import { AuditTrailDoc, AwardsDoc, CapsDoc, FiscalObligationsDoc } from './query-docs';
import { QueryReader } from './query-params';

export const AUDIT_TRAIL_LIMIT_MAX = 500;
export const AUDIT_TRAIL_LIMIT_DEFAULT = 100;
const CLAIM_EVENT_TYPE_PATTERN = new RegExp(`^(${CLAIM_EVENT_TYPES.join('|')})$`);

const AS_OF_DOC = {
  name: 'asOf',
  required: false,
  description: 'ledger time (ISO-8601 with zone): the answer as the ledger knew it then',
  example: '2024-06-30T16:00:00Z',
};

@ProjectionReadController('projections')
export class ProjectionsHttpController {
  constructor(private readonly queries: ProjectionsQueryService) {}

  @Get('caps')
  @Roles(...ROLES)
  @ApiProjectionRead(
    'Caps of an applicant: cap, granted, remaining, paid per program, support year and subject (staff; the applicant its own)',
    CapsDoc,
  )
  @ApiQuery({
    name: 'applicant',
    required: false,
    description: 'USCC; required for staff, defaults to the caller for an applicant',
  })
  @ApiQuery({
    name: 'supportYear',
    required: false,
    type: Number,
    description: 'annual caps of that year plus every non-annual cap',
  })
  @ApiQuery(AS_OF_DOC)
  async caps(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    const user = read.user();
    const reader = new QueryReader(read.query, ['applicant', 'supportYear', 'asOf']);
    const requested = reader.applicant();
    const supportYear = reader.integer('supportYear', 2000, 2100);
    const asOf = reader.asOf();
    reader.done();
    const applicant = applicantScope(user, requested, true) as string;
    return read.answer(await this.queries.caps(applicant, supportYear, asOf, read.minPosition()));
  }

  @Get('one-time-awards')
  @Roles(...ROLES)
  @ApiProjectionRead(
    'One-time awards: applicant, program, claim, amount, status (staff; the applicant its own)',
    AwardsDoc,
  )
  @ApiQuery({
    name: 'applicant',
    required: false,
    description: 'USCC; defaults to the caller for an applicant',
  })
  @ApiQuery({ name: 'programCode', required: false, example: 'c3-trademark' })
  async oneTimeAwards(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    const user = read.user();
    const reader = new QueryReader(read.query, ['applicant', 'programCode']);
    const requested = reader.applicant();
    const programCode = reader.programCode();
    reader.done();
    const applicant = applicantScope(user, requested, false);
    return read.answer(
      await this.queries.oneTimeAwards(
        withoutUndefined({ applicant, programCode }),
        read.minPosition(),
      ),
    );
  }

  @Get('fiscal-obligations')
  @Roles(...STAFF_ROLES)
  @ApiProjectionRead(
    'Fiscal obligations per funder and fiscal month or year (business time, Hangzhou): committed, disbursed, cancelled, outstanding, receivable, recovered (staff)',
    FiscalObligationsDoc,
  )
  @ApiQuery({
    name: 'funder',
    required: false,
    description: '"city" or a district code; all funders when omitted',
    example: 'city',
  })
  @ApiQuery({
    name: 'period',
    required: false,
    enum: ['month', 'year'],
    description: 'default month',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'YYYY-MM (month) or YYYY (year), inclusive',
    example: '2024-01',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'YYYY-MM (month) or YYYY (year), inclusive',
    example: '2024-12',
  })
  @ApiQuery({
    name: 'groupBy',
    required: false,
    enum: ['clause'],
    description:
      'clause: rows per funder and policy clause (each row carries clause; allocation plans are 五(九)); omitted: rows per funder',
  })
  @ApiQuery(AS_OF_DOC)
  async fiscalObligations(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    read.staff();
    const reader = new QueryReader(read.query, [
      'funder',
      'period',
      'from',
      'to',
      'asOf',
      'groupBy',
    ]);
    const funder = reader.funder();
    const period = reader.period();
    const range = reader.periodRange(period);
    const asOf = reader.asOf();
    const groupBy = reader.groupBy();
    reader.done();
    return read.answer(
      await this.queries.fiscalObligations(
        { ...withoutUndefined({ funder, asOf, groupBy }), period, ...range },
        read.minPosition(),
      ),
    );
  }

  @Get('audit-trail')
  @Roles(...STAFF_ROLES)
  @ApiProjectionRead(
    'The audit trail: every event of every claim in log order, with actor, role and chain hashes (staff)',
    AuditTrailDoc,
  )
  @ApiQuery({ name: 'type', required: false, enum: [...CLAIM_EVENT_TYPES] })
  @ApiCursorQuery()
  @ApiLimitQuery(AUDIT_TRAIL_LIMIT_MAX, AUDIT_TRAIL_LIMIT_DEFAULT)
  async auditTrail(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    read.staff();
    const reader = new QueryReader(read.query, ['type', 'cursor', 'limit']);
    const type = reader.text(
      'type',
      CLAIM_EVENT_TYPE_PATTERN,
      'QUERY.EVENT_TYPE_INVALID',
      `one of ${CLAIM_EVENT_TYPES.join(', ')}`,
    );
    const limit = reader.limit(AUDIT_TRAIL_LIMIT_MAX, AUDIT_TRAIL_LIMIT_DEFAULT);
    const after = reader.cursor();
    reader.done();
    return read.answer(
      await this.queries.auditTrail(
        { ...withoutUndefined({ type, after }), limit },
        read.minPosition(),
      ),
    );
  }
}
