/**
 * OpenAPI shape of the one error body (errors/error-body.ts, docs/style.md §9): `{error:{code, message,
 * details}}`. `details` is what the code puts there: the field problems of REQUEST.INVALID (an array of
 * FieldProblem), or an object of facts for a domain refusal (DomainError.details, e.g. `{retryAfterSeconds}`
 * of RATE_LIMIT.EXCEEDED or `{minPosition, checkpoint}` of PROJECTION.NOT_CAUGHT_UP).
 */
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { ErrorBody, ErrorPayload, FieldProblem } from '../errors/error-body';
import type { Assert, SameKeys } from './view-docs';

export class FieldProblemDoc implements FieldProblem {
  @ApiProperty({ example: 'requestedAmount', description: 'the field, as a dotted path' })
  path!: string;
  @ApiProperty({ example: 'MONEY.NOT_A_STRING' }) code!: string;
  @ApiProperty({ example: 'must be a decimal string with 2 fraction digits' }) message!: string;
}

export class ErrorPayloadDoc implements ErrorPayload {
  @ApiProperty({ example: 'CLAIM.EXCEEDS_CEILING', description: 'stable code, never renamed' })
  code!: string;
  @ApiProperty({ example: 'the amount exceeds the ceiling' }) message!: string;
  @ApiPropertyOptional({
    description:
      'REQUEST.INVALID: the field problems (an array of FieldProblem); other codes: an object of facts',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldProblemDoc) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldProblem[] | { [key: string]: unknown };
}

export class ErrorBodyDoc implements ErrorBody {
  @ApiProperty({ type: ErrorPayloadDoc }) error!: ErrorPayloadDoc;
}

export type ErrorDocChecks = [
  Assert<SameKeys<FieldProblemDoc, FieldProblem>>,
  Assert<SameKeys<ErrorPayloadDoc, ErrorPayload>>,
  Assert<SameKeys<ErrorBodyDoc, ErrorBody>>,
];
