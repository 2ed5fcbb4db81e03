/**
 * The shape checks every JSON body passes before anything walks it recursively (class-transformer,
 * class-validator, the policy engine, the idempotency fingerprint): see docs/decisions.md, "HTTP edge".
 *
 * - Depth: a body nested deeper than MAX_BODY_DEPTH containers is refused with 400 REQUEST.TOO_DEEP.
 *   No request of the contract needs more than 5 levels; a few thousand levels overflow the stack of
 *   recursive validators (a 500 before this check existed).
 * - Prototype keys: `__proto__`, `prototype` and every name Object.prototype answers to (`constructor`,
 *   `hasOwnProperty`, `toString`, ...) are refused anywhere in the body as an unknown field (400
 *   FIELD.UNKNOWN). JSON.parse keeps them as own data properties, but a copy made by assignment
 *   (class-transformer) turns `__proto__` into a prototype, and a lookup in a plain object (the whitelist
 *   of class-validator) finds `constructor` on Object.prototype and takes it for a declared field.
 *
 * - Text: no string (nor key) may hold NUL, another control character than tab/CR/LF, or a lone surrogate
 *   (400 FIELD.FORBIDDEN_CHARACTER; text-rules.ts); keys follow the stricter single-line rule.
 *
 * The walk is iterative (an explicit stack), so the check itself cannot overflow, and it visits each value
 * once: the body limit bounds its cost.
 */
import { HttpStatus } from '@nestjs/common';
import { ApiError, requestInvalid, type FieldProblem } from '../errors/error-body';
import {
  escapeForbiddenCharacters,
  FORBIDDEN_CHARACTER_CODE,
  forbiddenCharacterIn,
  forbiddenCharacterMessage,
  type ForbiddenCharacter,
} from './text-rules';

/** Most nested objects/arrays in one body; the body itself is level 1. */
export const MAX_BODY_DEPTH = 32;

/** Keys that name (or reach) a prototype: never a field of any request. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

const MAX_ECHOED_PATH = 300;

export type BodyProblem =
  | { readonly kind: 'too-deep'; readonly path: string }
  | { readonly kind: 'forbidden-key'; readonly path: string }
  | {
      readonly kind: 'forbidden-character';
      readonly path: string;
      readonly found: ForbiddenCharacter;
    };

interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly path: string;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The first problem found in a parsed JSON value, or undefined. Scalars are always fine. */
export function inspectJsonBody(body: unknown, maxDepth = MAX_BODY_DEPTH): BodyProblem | undefined {
  const stack: Pending[] = [{ value: body, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as Pending;
    if (typeof value === 'string') {
      // Every string is at least free text (text-rules.ts); single-line fields are checked by the pipe.
      const found = forbiddenCharacterIn(value, 'free-text');
      if (found) return { kind: 'forbidden-character', path, found };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return { kind: 'too-deep', path };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1)
        stack.push({ value: value[index], depth: depth + 1, path: childPath(path, index) });
      continue;
    }
    // Own keys only, including non-enumerable ones: what JSON.parse made, nothing inherited.
    const keys = Object.getOwnPropertyNames(value);
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden-key', path: childPath(path, key) };
      const found = forbiddenCharacterIn(key, 'single-line');
      if (found) return { kind: 'forbidden-character', path: childPath(path, key), found };
    }
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index] as string;
      stack.push({
        value: (value as Record<string, unknown>)[key],
        depth: depth + 1,
        path: childPath(path, key),
      });
    }
  }
  return undefined;
}

/** The refusal for a problem, in the contract's shape. */
export function bodyProblemError(problem: BodyProblem, maxDepth = MAX_BODY_DEPTH): ApiError {
  // Keys are the client's text: the echoed path is bounded like any other detail.
  const path = escapeForbiddenCharacters(
    problem.path.length > MAX_ECHOED_PATH
      ? `${problem.path.slice(0, MAX_ECHOED_PATH)}…`
      : problem.path,
  );
  if (problem.kind === 'too-deep') {
    return new ApiError(
      HttpStatus.BAD_REQUEST,
      'REQUEST.TOO_DEEP',
      `the body is nested deeper than ${maxDepth} levels`,
      { maxDepth, path },
    );
  }
  if (problem.kind === 'forbidden-character') {
    // The value itself is not echoed: the message names the character by its code point.
    return requestInvalid([
      {
        path,
        code: FORBIDDEN_CHARACTER_CODE,
        message: forbiddenCharacterMessage(path, problem.found, 'free-text'),
      },
    ]);
  }
  const unknown: FieldProblem = {
    path,
    code: 'FIELD.UNKNOWN',
    message: `${path} is not a field of this request`,
  };
  return requestInvalid([unknown]);
}

/**
 * Bodies the edge's guard (jsonBodyGuard, at MAX_BODY_DEPTH) found fine, so the ValidationPipe does not
 * walk the same body a second time (issue 12, "The request path"). Weak: a body is forgotten with its
 * request. Nothing mutates a parsed body between the guard and the pipe.
 */
const checkedBodies = new WeakSet<object>();

function remember(body: unknown): void {
  if (typeof body === 'object' && body !== null) checkedBodies.add(body);
}

/** Throws the refusal when the body has a problem. */
export function assertSafeJsonBody(body: unknown, maxDepth = MAX_BODY_DEPTH): void {
  if (maxDepth === MAX_BODY_DEPTH && typeof body === 'object' && body !== null)
    if (checkedBodies.has(body)) return;
  const problem = inspectJsonBody(body, maxDepth);
  if (problem) throw bodyProblemError(problem, maxDepth);
}

/**
 * Express middleware right after the JSON body parser: a refused body never reaches routing, guards or
 * pipes. The error goes to the edge's error middleware (http-app.ts), which renders and logs it.
 */
export function jsonBodyGuard(maxDepth = MAX_BODY_DEPTH) {
  return (
    request: { readonly body?: unknown },
    _response: unknown,
    next: (error?: unknown) => void,
  ): void => {
    const problem = inspectJsonBody(request.body, maxDepth);
    if (problem === undefined && maxDepth === MAX_BODY_DEPTH) remember(request.body);
    next(problem ? bodyProblemError(problem, maxDepth) : undefined);
  };
}
