/** The one error shape of the public contract: `{error:{code, message, details}}`. */
import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export interface ErrorPayload {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export interface ErrorBody {
  readonly error: ErrorPayload;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** An HTTP refusal that already carries its stable code (what guards, pipes and the edge throw). */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: string, message: string, details?: unknown) {
    super(
      { error: details === undefined ? { code, message } : { code, message, details } },
      status,
    );
  }
}

export function requestInvalid(
  details: readonly FieldProblem[],
  message = 'the request is not valid',
): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'REQUEST.INVALID', message, details);
}
