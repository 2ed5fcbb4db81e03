/** GET /applicants?name=&limit=: find applicants by a part of their registered name (staff), from the applicants read model. */
import { Get } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Roles, STAFF_ROLES } from '@hz/auth';
import { ProjectionReadRequest, type ProjectionRead } from './projection-read';
import { ProjectionsQueryService } from './projections-query.service';
import { ApiLimitQuery, ApiProjectionRead, ProjectionReadController } from './query-api-docs';
import { ApplicantsFoundDoc } from './query-docs';
import {
  APPLICANT_NAME_MAX,
  APPLICANTS_LIMIT_DEFAULT,
  APPLICANTS_LIMIT_MAX,
  QueryReader,
} from './query-params';

@ProjectionReadController('applicants')
export class ApplicantSearchHttpController {
  constructor(private readonly queries: ProjectionsQueryService) {}

  @Get()
  @Roles(...STAFF_ROLES)
  @ApiProjectionRead(
    'Applicants whose registered name contains the text (exact substring), by name then USCC, with their current district (staff)',
    ApplicantsFoundDoc,
  )
  @ApiQuery({
    name: 'name',
    required: true,
    description: `a part of the registered name, 1..${APPLICANT_NAME_MAX} characters (trimmed)`,
    example: '贸易',
  })
  @ApiLimitQuery(APPLICANTS_LIMIT_MAX, APPLICANTS_LIMIT_DEFAULT)
  async find(@ProjectionReadRequest() read: ProjectionRead): Promise<object> {
    read.staff();
    const reader = new QueryReader(read.query, ['name', 'limit']);
    const name = reader.nameContains();
    const limit = reader.limit(APPLICANTS_LIMIT_MAX, APPLICANTS_LIMIT_DEFAULT);
    reader.done();
    return read.answer(
      await this.queries.findApplicants(name as string, limit, read.minPosition()),
    );
  }
}
