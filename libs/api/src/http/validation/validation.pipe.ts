/**
 * ValidationPipe configured for the contract: unknown fields are refused (not silently dropped), no
 * implicit conversion (a JSON number is never turned into a money string), and every problem is
 * reported as `{path, code, message}` under REQUEST.INVALID.
 */
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { codeForConstraint } from './validators';
import { requestInvalid, type FieldProblem } from '../errors/error-body';
import { assertSafeJsonBody } from './json-body';
import { requestInstance } from './request-dto';
import { rememberValidationRules } from './validation-metadata';
import {
  FORBIDDEN_CHARACTER_CODE,
  forbiddenCharacterMessage,
  singleLineProblems,
} from './text-rules';

/** Bounds the report, so a body with thousands of bad fields cannot produce a huge error response. */
const MAX_PROBLEMS = 50;

export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parentPath = '',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path =
      parentPath === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parentPath}[${error.property}]`
          : `${parentPath}.${error.property}`;
    const constraints = Object.entries(error.constraints ?? {});
    const missing =
      error.value === undefined && !('whitelistValidation' in (error.constraints ?? {}));
    if (missing && constraints.length > 0) {
      problems.push({ path, code: 'FIELD.REQUIRED', message: `${path} is required` });
    } else {
      for (const [constraint, message] of constraints) {
        problems.push({
          path,
          code: codeForConstraint(constraint, error.value),
          message: messageFor(constraint, path, message),
        });
      }
    }
    problems.push(...flattenValidationErrors(error.children ?? [], path));
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return problems.slice(0, MAX_PROBLEMS);
}

function messageFor(constraint: string, path: string, message: string): string {
  return constraint === 'whitelistValidation' ? `${path} is not a field of this request` : message;
}

export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: false,
      stopAtFirstError: true,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => requestInvalid(flattenValidationErrors(errors)),
    });
    // Each class's rules looked up once, not at every validation (validation-metadata.ts).
    rememberValidationRules();
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Bodies only: path parameters have their own pipes, and query DTOs of the read side keep theirs.
    if (metadata.type !== 'body') return value;
    // No body at all (POST .../withdrawal needs none) reads as an empty object; required fields still fail.
    if (value === undefined) return this.validateBody({}, metadata);
    // A JSON array or scalar as the whole body would otherwise be validated element-wise or not at all.
    if (
      metadata.type === 'body' &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw requestInvalid([
        { path: '', code: 'BODY.NOT_AN_OBJECT', message: 'the body must be a JSON object' },
      ]);
    }
    // Depth, prototype keys and free-text characters again, for bodies that did not come through the edge's parser (json-body.ts).
    assertSafeJsonBody(value);
    // Names, references, codes: single-line text (text-rules.ts), before any field rule reports a vaguer code.
    const forbidden = singleLineProblems(value as Record<string, unknown>, metadata.metatype);
    if (forbidden.length > 0) {
      throw requestInvalid(
        forbidden.slice(0, MAX_PROBLEMS).map(({ path, found }) => ({
          path,
          code: FORBIDDEN_CHARACTER_CODE,
          message: forbiddenCharacterMessage(path, found, 'single-line'),
        })),
      );
    }
    return this.validateBody(value as object, metadata);
  }

  /**
   * What ValidationPipe.transform does for a JSON object body of a class, without the steps that cannot
   * change it (issue 12: 7.6% of the main thread under register load went to the pipe; docs/benchmarks.md,
   * "The write path at the machine's limit"). Nest's pipe also closes the gaps of sparse arrays, deletes
   * prototype keys, looks for binary values and, at the end, copies the validated instance back to plain
   * data (classToPlain). A body here is JSON (no sparse array, no binary value) whose prototype keys the
   * check above refused (json-body.ts), and with forbidNonWhitelisted no field is ever stripped, so the
   * copy equals the body: the body is returned as it came, as with `transform: false`. The class-validator
   * run itself is the same: options, errors, and the instance as plainToInstance makes it (requestInstance
   * builds those of the registry's request classes without it: request-dto.ts).
   */
  private async validateBody(body: object, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (metatype === undefined || !this.toValidate(metadata)) return body;
    const entity =
      requestInstance(metatype, body) ??
      (plainToInstance(metatype, body, this.transformOptions) as object);
    const errors = await validate(entity, {
      ...this.validatorOptions,
      validationError: { target: false, ...this.validatorOptions.validationError },
    });
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    return body;
  }
}
