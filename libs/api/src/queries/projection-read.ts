/**
 * The one parameter of a projection-backed read (docs/architecture.md §6): its query string, its caller,
 * its X-Min-Position and the X-Projection-Position of its answer, so each route handler only reads its
 * own parameters and calls the service. Each part is read when asked, in the handler's order: the
 * caller first (401/403), then the query's parameters (400 naming them), then X-Min-Position.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '@hz/auth';
import {
  setResponseHeader,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../http/support/http-types';
import { requireStaff, requireUser } from './query-access';
import { MIN_POSITION_HEADER, PROJECTION_POSITION_HEADER } from './query-api-docs';
import { minPositionOf, type QueryInput } from './query-params';

export interface ProjectionRead {
  readonly query: QueryInput;
  /** The caller: 401 without a token, 403 without roles. */
  user(): AuthUser;
  /** The caller, who must be staff (403 otherwise). */
  staff(): AuthUser;
  /** X-Min-Position, or undefined when absent (400 when it is not a log position). */
  minPosition(): bigint | undefined;
  /** Sets X-Projection-Position from the answer's checkpoint and returns the answer. */
  answer<T extends { readonly checkpoint: { readonly position: string } }>(answer: T): T;
}

export const ProjectionReadRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ProjectionRead => {
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike & { readonly query?: QueryInput }>();
    const response = http.getResponse<HttpResponseLike>();
    return {
      query: request.query ?? {},
      user: () => requireUser(request),
      staff: () => {
        const user = requireUser(request);
        requireStaff(user);
        return user;
      },
      minPosition: () => minPositionOf(request.headers[MIN_POSITION_HEADER]),
      answer: (answer) => {
        setResponseHeader(response, PROJECTION_POSITION_HEADER, answer.checkpoint.position);
        return answer;
      },
    };
  },
);
