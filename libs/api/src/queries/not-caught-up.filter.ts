/**
 * 503 for a query whose X-Min-Position was not reached in time. Scoped to the query controllers (a
 * controller filter runs before the app's global one, which renders every 5xx as a bare 500).
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { ProjectionNotCaughtUp } from '@hz/projections';
import type { HttpResponseLike } from '../http/support/http-types';

@Catch(ProjectionNotCaughtUp)
export class ProjectionNotCaughtUpFilter implements ExceptionFilter {
  catch(exception: ProjectionNotCaughtUp, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponseLike>();
    if (response.headersSent) return;
    response.setHeader('Retry-After', '1');
    response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
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
