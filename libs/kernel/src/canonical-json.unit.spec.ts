import fc from 'fast-check';
import { canonicalJson, canonicalObjectText, CanonicalJsonError } from './canonical-json';

/**
 * canonicalJson as it was written before issue 12's one-walk version (an array of parts per container,
 * JSON.stringify for every string and key, a Set of ancestors): the reference the texts must equal.
 */
function referenceCanonicalJson(
  value: unknown,
  depth = 0,
  ancestors = new Set<object>(),
): string | undefined {
  if (depth > 64) throw new CanonicalJsonError('nesting deeper than 64 levels');
  const input =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON: () => unknown }).toJSON()
      : value;
  switch (typeof input) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(input);
    case 'object': {
      if (input === null) return 'null';
      if (ancestors.has(input)) throw new CanonicalJsonError('cyclic structure');
      ancestors.add(input);
      try {
        if (Array.isArray(input))
          return `[${input.map((item) => referenceCanonicalJson(item, depth + 1, ancestors) ?? 'null').join(',')}]`;
        const parts: string[] = [];
        for (const key of Object.keys(input).sort()) {
          const text = referenceCanonicalJson(
            (input as Record<string, unknown>)[key],
            depth + 1,
            ancestors,
          );
          if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
        }
        return `{${parts.join(',')}}`;
      } finally {
        ancestors.delete(input);
      }
    }
    default:
      return undefined;
  }
}

/** Rebuilds every object with its keys in reverse order: canonical text must not notice. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reverseKeys(inner)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('orders keys by UTF-16 code units, as RFC 8785 §3.2.3 does', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const text = canonicalJson(Object.fromEntries(keys.map((key) => [key, 0])));
    // The emoji (a surrogate pair starting 0xD83D) sorts before U+FB33 in UTF-16 although its code point is larger.
    expect(text).toBe(
      '{"\\r":0,"1":0,"\u0080":0,"\u00f6":0,"\u20ac":0,"\ud83d\ude00":0,"\ufb33":0}',
    );
  });

  it('writes numbers and strings exactly as JSON.stringify does', () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 123.456, 5e-324])).toBe(
      '[1e+21,1e-7,0.000001,0,123.456,5e-324]',
    );
    expect(canonicalJson('line\nquote"back\\slash\u0001 杭州 é')).toBe(
      JSON.stringify('line\nquote"back\\slash\u0001 杭州 é'),
    );
  });

  it('drops undefined in objects and writes null for it in arrays, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('honours toJSON, so a Date becomes its ISO string', () => {
    expect(canonicalJson({ at: new Date('2024-03-01T08:00:00.000Z') })).toBe(
      '{"at":"2024-03-01T08:00:00.000Z"}',
    );
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a bigint', 10n],
  ])('rejects %s instead of writing something else', (_, value) => {
    expect(() => canonicalJson({ value })).toThrow(CanonicalJsonError);
  });

  it('rejects cycles and absurd nesting', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
    let deep: unknown = 0;
    for (let level = 0; level < 100; level += 1) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nesting/);
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { amount: '1.00' };
    expect(canonicalJson({ a: shared, b: shared })).toBe(
      '{"a":{"amount":"1.00"},"b":{"amount":"1.00"}}',
    );
  });

  it('writes the same text as the reference for any JSON value, escapes and lone surrogates included (property)', () => {
    for (const stringUnit of ['grapheme-ascii', 'binary'] as const)
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4, stringUnit }), (value) => {
          expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
        }),
        { numRuns: 500 },
      );
    // Every character that needs an escape in JSON, alone and inside printable ASCII, as key and as value.
    const escaped = ['"', '\\', '\u007f', '\u0000', '\u001f', '\n', '\ud800', '\udfff', 'é', '杭'];
    for (const character of escaped) {
      const value = { [`k${character}y`]: [character, `a${character}b`], plain: `x${character}` };
      expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    }
  });

  it('finds a cycle below the top as the reference does, and tells shared objects from cycles', () => {
    const inner: Record<string, unknown> = { a: 1 };
    const outer = { list: [inner, { deeper: inner }] };
    inner['back'] = outer;
    expect(() => canonicalJson(outer)).toThrow(/cyclic/);
    const shared = [1];
    const siblings = { a: [shared, shared], b: { c: shared } };
    expect(canonicalJson(siblings)).toBe(referenceCanonicalJson(siblings));
  });

  it('round-trips any JSON value and ignores key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reverseKeys(value))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonicalObjectText', () => {
  const keyArbitrary = fc.oneof(
    fc.constantFrom(
      'hash',
      'prevHash',
      'recordedAt',
      'actor',
      'a',
      'z',
      'Hash',
      'hash2',
      'has',
      '',
    ),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  const objectArbitrary = fc.dictionary(
    keyArbitrary,
    fc.oneof(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), fc.constant(undefined)),
    { maxKeys: 12 },
  );

  it('writes canonicalJson(record), and with a member exactly canonicalJson({ ...record, [key]: value }) (property)', () => {
    fc.assert(
      fc.property(
        objectArbitrary,
        keyArbitrary,
        fc.string({ unit: 'binary', maxLength: 70 }),
        (record, key, value) => {
          const texts = canonicalObjectText(record);
          expect(texts.text).toBe(canonicalJson(record));
          expect(texts.withMember(key, value)).toBe(canonicalJson({ ...record, [key]: value }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('puts the hash where the stored metadata has it, first, last and in an empty object', () => {
    const hash = 'f'.repeat(64);
    const metadata = {
      prevHash: '0'.repeat(64),
      actor: 'admin-1',
      recordedAt: '2026-01-05T00:00:00.000Z',
      role: 'x',
    };
    expect(canonicalObjectText(metadata).withMember('hash', hash)).toBe(
      canonicalJson({ ...metadata, hash }),
    );
    expect(canonicalObjectText({ z: 1 }).withMember('a', 'v')).toBe('{"a":"v","z":1}');
    expect(canonicalObjectText({ a: 1 }).withMember('z', 'v')).toBe('{"a":1,"z":"v"}');
    expect(canonicalObjectText({}).withMember('hash', 'v')).toBe('{"hash":"v"}');
    expect(canonicalObjectText({ gone: undefined }).withMember('hash', 'v')).toBe('{"hash":"v"}');
    expect(canonicalObjectText({ hash: 'old', a: 1 }).withMember('hash', 'new')).toBe(
      '{"a":1,"hash":"new"}',
    );
  });

  it('honours a toJSON on the record as canonicalJson does, and rejects what it rejects', () => {
    const withToJson = { a: 1, toJSON: () => ({ b: 2 }) };
    expect(canonicalObjectText(withToJson).text).toBe(canonicalJson(withToJson));
    expect(canonicalObjectText(withToJson).withMember('hash', 'v')).toBe(
      canonicalJson({ ...withToJson, hash: 'v' }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalObjectText(cyclic)).toThrow(/cyclic/);
    expect(() => canonicalObjectText({ n: Number.NaN })).toThrow(CanonicalJsonError);
  });
});
