/** OpenAPI decorations shared by the write endpoints. */
import { applyDecorators, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDoc } from './error-body.doc';

export const ApiWrite = (summary: string, status: HttpStatus.OK | HttpStatus.CREATED) =>
  applyDecorators(
    HttpCode(status),
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per intended write (per caller). The same key and body replay the first response; another body is 409.',
    }),
    ApiResponse({
      status: 400,
      type: ErrorBodyDoc,
      description:
        'malformed request (REQUEST.INVALID, REQUEST.MALFORMED_JSON, IDEMPOTENCY.KEY_REQUIRED, EVIDENCE.*); nothing recorded',
    }),
    ApiResponse({
      status: 401,
      type: ErrorBodyDoc,
      description: 'missing, invalid or expired token',
    }),
    ApiResponse({
      status: 403,
      type: ErrorBodyDoc,
      description: 'wrong role, another applicant, or separation of duties',
    }),
    ApiResponse({
      status: 404,
      type: ErrorBodyDoc,
      description: 'unknown applicant, claim or plan',
    }),
    ApiResponse({
      status: 409,
      type: ErrorBodyDoc,
      description: 'exists already, idempotency key reused, or a concurrent change',
    }),
    ApiResponse({ status: 413, type: ErrorBodyDoc, description: 'body larger than the limit' }),
    ApiResponse({
      status: 422,
      type: ErrorBodyDoc,
      description:
        'a policy or lifecycle rule refuses (stable codes such as CLAIM.EXCEEDS_CEILING)',
    }),
  );

export const ApiRead = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth(),
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
    ApiResponse({ status: 404, type: ErrorBodyDoc, description: 'not found' }),
  );
