/**
 * OpenAPI decorations of every operation (docs/architecture.md §6): the success body with its schema, and
 * the error responses in the one error shape (error-body.doc.ts), 429 included on every operation the
 * rate limiter sees (docs/operations.md, "Rate limits"). `ApiWrite` for the commands, `ApiRead` for the
 * reads from the streams, `ApiErrors` for the rest.
 */
import { applyDecorators, Controller, HttpCode, HttpStatus, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorBodyDoc, FieldProblemDoc } from './error-body.doc';
import {
  AllocationWriteResultDoc,
  ApplicantWriteResultDoc,
  ClaimSubmissionResultDoc,
  ClaimWriteResultDoc,
} from './view-docs';

/** The error statuses the contract uses, each with what it means in general. */
const ERROR_MEANING = {
  400: 'malformed request (REQUEST.INVALID with `details` naming each field, REQUEST.MALFORMED_JSON, …); nothing recorded',
  401: 'missing, invalid or expired token (AUTH.*)',
  403: 'the role or the applicant may not do this (AUTH.FORBIDDEN, separation of duties)',
  404: 'not found',
  409: 'exists already, idempotency key reused, or a concurrent change',
  413: 'body larger than the limit (REQUEST.TOO_LARGE)',
  415: 'body encoding or charset not supported',
  422: 'a policy or lifecycle rule refuses (stable codes such as CLAIM.EXCEEDS_CEILING)',
  429: 'RATE_LIMIT.EXCEEDED: too many requests from this caller in the last minute (LEDGER_RATE_LIMIT_PER_MINUTE)',
  503: 'the service cannot answer now; retry after Retry-After seconds',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANING;

const RETRY_AFTER = {
  'Retry-After': {
    description: 'seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0 },
  },
};

/**
 * Error responses in the one error shape; `meaning` overrides the general text of a status. 429 and 503
 * carry Retry-After.
 */
export const ApiErrors = (
  statuses: readonly ErrorStatus[],
  meaning: Partial<Record<ErrorStatus, string>> = {},
) =>
  applyDecorators(
    ApiExtraModels(FieldProblemDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        type: ErrorBodyDoc,
        description: meaning[status] ?? ERROR_MEANING[status],
        ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );

/** What a write answers with: the new state of the stream it wrote to, and the log position. */
export type WriteResult = 'applicant' | 'claim' | 'claim-submission' | 'allocation';

const WRITE_RESULT_DOC: Readonly<Record<WriteResult, Type<unknown>>> = {
  applicant: ApplicantWriteResultDoc,
  claim: ClaimWriteResultDoc,
  'claim-submission': ClaimSubmissionResultDoc,
  allocation: AllocationWriteResultDoc,
};

/** swagger's metadata key of a method's responses (@nestjs/swagger constants: DECORATORS.API_RESPONSE). */
const API_RESPONSE_METADATA = 'swagger/apiResponse';

/**
 * The success response, unless the method already documents that status itself (an `ApiCreatedResponse`
 * written below `ApiWrite` keeps its own schema).
 */
function successResponse(status: number, result: WriteResult | undefined): MethodDecorator {
  return (target, key, descriptor) => {
    const existing = Reflect.getMetadata(API_RESPONSE_METADATA, descriptor.value as object) as
      Record<string, unknown> | undefined;
    if (existing?.[String(status)] !== undefined) return descriptor;
    const description = 'written (or replayed: the same key and body answer the first response)';
    const decorator =
      result === undefined
        ? ApiResponse({
            status,
            description: `${description}; the body is the new state of the applicant, claim or plan written`,
            schema: {
              oneOf: [ApplicantWriteResultDoc, ClaimWriteResultDoc, AllocationWriteResultDoc].map(
                (model) => ({ $ref: getSchemaPath(model) }),
              ),
            },
          })
        : ApiResponse({ status, description, type: WRITE_RESULT_DOC[result] });
    const extra = ApiExtraModels(
      ApplicantWriteResultDoc,
      ClaimWriteResultDoc,
      AllocationWriteResultDoc,
    );
    extra(target, key, descriptor);
    return decorator(target, key, descriptor) ?? descriptor;
  };
}

/**
 * A command endpoint. `result` names the body it answers with (one of the three write results when
 * omitted); every write can be refused with any of the listed statuses.
 */
export const ApiWrite = (
  summary: string,
  status: HttpStatus.OK | HttpStatus.CREATED,
  result?: WriteResult,
) =>
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
    successResponse(status, result),
    ApiErrors([400, 401, 403, 404, 409, 413, 415, 422, 429, 503], {
      400: 'malformed request (REQUEST.INVALID with `details` naming each field, REQUEST.MALFORMED_JSON, IDEMPOTENCY.KEY_REQUIRED, EVIDENCE.*); nothing recorded',
      403: 'wrong role, another applicant, or separation of duties',
      404: 'unknown applicant, claim or plan',
      503: 'LEDGER.OVERLOADED: the write queue is full (LEDGER_WRITE_QUEUE_LIMIT); nothing recorded, retry after Retry-After seconds with the same Idempotency-Key',
    }),
  );

/** A controller whose path is its OpenAPI tag and whose operations all need a bearer token. */
export const ApiBearerController = (path: string) =>
  applyDecorators(ApiTags(path), ApiBearerAuth(), Controller(path));

/** A read from the streams (or the catalog): its body type and the statuses it can answer with. */
export const ApiRead = (
  summary: string,
  type: Type<unknown>,
  errors: readonly ErrorStatus[] = [401, 403, 404, 429],
  meaning: Partial<Record<ErrorStatus, string>> = {},
) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiResponse({ status: 200, type, description: 'the current state' }),
    ApiErrors(errors, { 403: 'not staff and not the applicant itself', ...meaning }),
  );
