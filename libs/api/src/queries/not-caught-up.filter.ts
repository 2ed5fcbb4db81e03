/**
 * 503 for a query whose X-Min-Position was not reached in time. Scoped to the query controllers (a
 * controller filter runs before the app's global one, which renders every 5xx as a bare 500).
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { ProjectionNotCaughtUp } from '@hz/projections';
import {
  responseStarted,
  sendJson,
  setResponseHeader,
  type HttpResponseLike,
} from '../http/support/http-types';

@Catch(ProjectionNotCaughtUp)
export class ProjectionNotCaughtUpFilter implements ExceptionFilter {
  catch(exception: ProjectionNotCaughtUp, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponseLike>();
    if (responseStarted(response)) return;
    setResponseHeader(response, 'Retry-After', '1');
    sendJson(response, HttpStatus.SERVICE_UNAVAILABLE, {
      error: {
        code: exception.code,
        message: exception.message,
        details: {
          minPosition: exception.minPosition.toString(),
          checkpoint: exception.checkpoint.toString(),
          waitedMs: exception.waitedMs,
        },
      },
    });
  }
}
