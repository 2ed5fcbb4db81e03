/** GET /claims: the claim queue from the read models, filtered and paged with a cursor. */
import { Get } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Roles, ROLES } from '@hz/auth';
import { ProjectionReadRequest, type ProjectionRead } from './projection-read';
import { ProjectionsQueryService } from './projections-query.service';
import {
  ApiCursorQuery,
  ApiLimitQuery,
  ApiProjectionRead,
  ProjectionReadController,
} from './query-api-docs';
import { applicantScope } from './query-access';
import { CLAIM_STATUSES } from '../http/support/view-docs';
import { ClaimPageDoc } from './query-docs';
import { CLAIMS_LIMIT_DEFAULT, CLAIMS_LIMIT_MAX, QueryReader } from './query-params';

@ProjectionReadController('claims')
export class ClaimsQueueHttpController {
  constructor(private readonly queries: ProjectionsQueryService) {}

  @Get()
  @Roles(...ROLES)
  @ApiProjectionRead(
    'The claim queue, oldest submission first (staff; an applicant sees only its own)',
    ClaimPageDoc,
  )
  @ApiQuery({ name: 'status', required: false, enum: CLAIM_STATUSES })
  @ApiQuery({
    name: 'applicant',
    required: false,
    description: 'USCC; an applicant may only give its own',
  })
  @ApiQuery({ name: 'programCode', required: false, example: 'c3-trademark' })
  @ApiQuery({ name: 'supportYear', required: false, type: Number, example: 2024 })
  @ApiCursorQuery()
  @ApiLimitQuery(CLAIMS_LIMIT_MAX, CLAIMS_LIMIT_DEFAULT)
  async list(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    const user = read.user();
    const reader = new QueryReader(read.query, [
      'status',
      'applicant',
      'programCode',
      'supportYear',
      'cursor',
      'limit',
    ]);
    const filter = {
      status: reader.status(),
      applicant: reader.applicant(),
      programCode: reader.programCode(),
      supportYear: reader.integer('supportYear', 2000, 2100),
      limit: reader.limit(CLAIMS_LIMIT_MAX, CLAIMS_LIMIT_DEFAULT),
    };
    const after = reader.cursor();
    reader.done();
    const applicant = applicantScope(user, filter.applicant, false);
    const selection = { ...withoutUndefined({ ...filter, applicant, after }), limit: filter.limit };
    return read.answer(await this.queries.listClaims(selection, read.minPosition()));
  }
}

export function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
