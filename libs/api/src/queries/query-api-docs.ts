/** OpenAPI decorations shared by the projection-backed reads. */
import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
} from '@nestjs/swagger';
import { ErrorBodyDoc } from '../http/support/error-body.doc';

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
    ApiResponse({
      status: 400,
      type: ErrorBodyDoc,
      description: 'a bad query parameter (REQUEST.INVALID; details name it)',
    }),
    ApiResponse({
      status: 401,
      type: ErrorBodyDoc,
      description: 'missing, invalid or expired token',
    }),
    ApiResponse({
      status: 403,
      type: ErrorBodyDoc,
      description: 'not staff and not the applicant itself',
    }),
    ApiResponse({
      status: 503,
      type: ErrorBodyDoc,
      description: 'PROJECTION.NOT_CAUGHT_UP: X-Min-Position not reached in time (Retry-After: 1)',
    }),
  );
