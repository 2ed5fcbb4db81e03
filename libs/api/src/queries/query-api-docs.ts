/** OpenAPI decorations shared by the projection-backed reads (docs/architecture.md §6). */
import { applyDecorators, Controller, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../http/support/api-docs';
import { ProjectionNotCaughtUpFilter } from './not-caught-up.filter';

/** A controller of projection reads: its path is its OpenAPI tag, and 503 PROJECTION.NOT_CAUGHT_UP is mapped. */
export const ProjectionReadController = (path: string) =>
  applyDecorators(ApiTags(path), Controller(path), UseFilters(ProjectionNotCaughtUpFilter));

export const MIN_POSITION_HEADER = 'x-min-position';
export const PROJECTION_POSITION_HEADER = 'X-Projection-Position';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Swagger takes any class as a response type.
export const ApiProjectionRead = (summary: string, type: new (...args: any[]) => unknown) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'X-Min-Position',
      required: false,
      description:
        'a log position (e.g. the `position` of a command response): the query waits up to 5 s (LEDGER_MIN_POSITION_WAIT_MS) until the read models reach it, else 503 PROJECTION.NOT_CAUGHT_UP',
    }),
    ApiOkResponse({
      type,
      headers: {
        [PROJECTION_POSITION_HEADER]: {
          description: 'log position the answer reflects',
          schema: { type: 'string' },
        },
      },
    }),
    ApiErrors([400, 401, 403, 429, 503], {
      400: 'a bad query parameter (REQUEST.INVALID; details name it)',
      403: 'not staff and not the applicant itself',
      503: 'PROJECTION.NOT_CAUGHT_UP: X-Min-Position not reached in time (Retry-After: 1)',
    }),
  );

/** The page size of a paged read, as QueryReader.limit reads it. */
export const ApiLimitQuery = (maximum: number, fallback: number) =>
  ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: `1..${maximum}, default ${fallback}`,
  });

/** The cursor of a paged read, as QueryReader.cursor reads it. */
export const ApiCursorQuery = () =>
  ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' });
