import { HttpException } from '@nestjs/common';
import {
  assertSafeJsonBody,
  FORBIDDEN_KEYS,
  inspectJsonBody,
  jsonBodyGuard,
  MAX_BODY_DEPTH,
} from './json-body';

const nestedObjects = (levels: number) =>
  JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`) as unknown;
const nestedArrays = (levels: number) =>
  JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) as unknown;

describe('inspectJsonBody', () => {
  it('accepts the body at exactly the depth limit and refuses one level more, for objects and arrays', () => {
    expect(MAX_BODY_DEPTH).toBe(32);
    expect(inspectJsonBody(nestedObjects(32))).toBeUndefined();
    expect(inspectJsonBody(nestedObjects(33))).toEqual({
      kind: 'too-deep',
      path: `a${'.a'.repeat(31)}`,
    });
    expect(inspectJsonBody(nestedArrays(32))).toBeUndefined();
    expect(inspectJsonBody(nestedArrays(33))).toEqual({ kind: 'too-deep', path: '[0]'.repeat(32) });
  });

  it('walks without recursion: 200,000 levels are refused, not a stack overflow', () => {
    expect(inspectJsonBody(nestedArrays(200_000))?.kind).toBe('too-deep');
    expect(inspectJsonBody(nestedObjects(200_000))?.kind).toBe('too-deep');
  });

  it('refuses prototype keys as own properties, at any level, with their path', () => {
    expect(inspectJsonBody(JSON.parse('{"a":1,"__proto__":{"x":1}}'))).toEqual({
      kind: 'forbidden-key',
      path: '__proto__',
    });
    expect(
      inspectJsonBody(
        JSON.parse('{"scores":[{"district":"xihu"},{"constructor":{"prototype":{}}}]}'),
      ),
    ).toEqual({ kind: 'forbidden-key', path: 'scores[1].constructor' });
    expect(inspectJsonBody({ evidence: { items: [{ toString: 'x' }] } })).toEqual({
      kind: 'forbidden-key',
      path: 'evidence.items[0].toString',
    });
    for (const key of [
      'prototype',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      '__defineGetter__',
    ]) {
      expect(FORBIDDEN_KEYS.has(key)).toBe(true);
      expect(inspectJsonBody(JSON.parse(`{"ok":{"${key}":1}}`))).toEqual({
        kind: 'forbidden-key',
        path: `ok.${key}`,
      });
    }
  });

  it('looks at own keys only: ordinary bodies, inherited names and scalars pass', () => {
    expect(
      inspectJsonBody({
        applicant: 'x',
        evidence: { items: [{ amount: '1.00' }] },
        reasons: ['a', 'b'],
      }),
    ).toBeUndefined();
    expect(inspectJsonBody({ constructorName: 'x', proto: 1, to_string: 2 })).toBeUndefined();
    for (const scalar of [null, 1, 'x', true, undefined])
      expect(inspectJsonBody(scalar)).toBeUndefined();
  });
});

describe('assertSafeJsonBody and the middleware', () => {
  const refusal = (body: unknown) => {
    try {
      assertSafeJsonBody(body);
    } catch (error) {
      return {
        status: (error as HttpException).getStatus(),
        body: (error as HttpException).getResponse(),
      };
    }
    return undefined;
  };

  it('throws 400 REQUEST.TOO_DEEP with the limit, and 400 FIELD.UNKNOWN for a prototype key', () => {
    expect(refusal(nestedArrays(40))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'REQUEST.TOO_DEEP',
          message: 'the body is nested deeper than 32 levels',
          details: { maxDepth: 32, path: '[0]'.repeat(32) },
        },
      },
    });
    expect(refusal(JSON.parse('{"__proto__":1}'))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'REQUEST.INVALID',
          message: 'the request is not valid',
          details: [
            {
              path: '__proto__',
              code: 'FIELD.UNKNOWN',
              message: '__proto__ is not a field of this request',
            },
          ],
        },
      },
    });
    expect(refusal({ fine: [1, 2, { x: 'y' }] })).toBeUndefined();
  });

  it('passes the refusal to next() and nothing for a sound body', () => {
    const calls: unknown[] = [];
    jsonBodyGuard()({ body: JSON.parse('{"a":{"constructor":1}}') }, {}, (error) =>
      calls.push(error),
    );
    jsonBodyGuard()({ body: { a: 1 } }, {}, (error) => calls.push(error));
    expect(calls).toHaveLength(2);
    expect((calls[0] as HttpException).getStatus()).toBe(400);
    expect(calls[1]).toBeUndefined();
  });

  it('a body the guard passed is not walked again by the pipe check; any other body is', () => {
    const checked = { a: { b: 'c' } };
    const fresh = { a: { b: 'c' } };
    jsonBodyGuard()({ body: checked }, {}, () => undefined);
    // Poisoned afterwards, so only a second walk would find it: the guard's pass is remembered.
    for (const body of [checked, fresh])
      Object.defineProperty(body.a, 'constructor', { value: 1, enumerable: true });
    expect(() => assertSafeJsonBody(checked)).not.toThrow();
    expect(() => assertSafeJsonBody(fresh)).toThrow(HttpException);
    // A stricter depth than the guard's is always checked afresh.
    expect(() => assertSafeJsonBody(checked, 1)).toThrow(HttpException);
  });
});
