/**
 * fast-check generators of hostile input: values for JSON bodies (wrong types, NaN, 1e309, -0, huge and
 * deep values, invalid UTF-8, control and bidi characters, path and SQL metacharacters), for ids in paths,
 * query strings and headers. Everything is drawn with fc.sample from one seed, so a run replays exactly.
 */
import fc from 'fast-check';

/** A JSON slot's content as raw bytes: not always valid JSON, not always valid UTF-8. */
export type RawValue = Buffer;

export const CONTROL_AND_BIDI: readonly string[] = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200f',
  '\u061c',
  '\u200b',
  '\ufeff',
  '\u2028',
];

const METACHARACTERS: readonly string[] = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/',
  '//',
  '.',
  '..',
  '~',
  '*',
  '?',
  '#',
  '%',
  '%ZZ',
  '%00',
  '%u0000',
  "' OR '1'='1",
  "'; DROP TABLE event_store.events; --",
  '" OR ""="',
  '1; SELECT pg_sleep(1)',
  '$1',
  '\\x00',
  '`id`',
  '${process.env}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'file:///etc/passwd',
  'payment-ref-../x',
  'NULL',
  'undefined',
  'null',
  'true',
  '[]',
  '{}',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '1e309',
  '-1e309',
  '0x1F',
  '1_000',
  '１２３',
  'Ⅻ',
  '٣',
  '𝟗',
  'İ',
  'ß',
  'ＡＢＣ',
  'a\u0301',
  '\u{1F600}',
];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...METACHARACTERS),
  fc
    .constantFrom(...CONTROL_AND_BIDI)
    .chain((bad) =>
      fc
        .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
        .map(([before, after]) => `${before}${bad}${after}`),
    ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(1_000, 70_000, 300_000).map((length) => 'x'.repeat(length)),
  fc.constantFrom('\ud800', '\udfff', 'a\ud83dz'),
);

/** Invalid UTF-8 byte sequences: lone continuation bytes, overlong forms, surrogates, truncations. */
const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0x80]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0, 0x9f, 0x98]),
];

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Raw JSON (or not quite JSON) for one slot of a body. */
export const hostileJsonValue: fc.Arbitrary<RawValue> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => Buffer.from(JSON.stringify(text))) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        '1e309',
        '-1e309',
        '-0',
        '-0.0',
        '0.1',
        '-1',
        '1.005',
        '9007199254740993',
        '1e-400',
        '123456789012345678901234567890.123',
        'NaN',
        'Infinity',
        'undefined',
        'null',
        'true',
        'false',
        '[]',
        '{}',
        '[null]',
        '""',
        '"  "',
        '{"$ne":null}',
        '{"$gt":""}',
      )
      .map((text) => Buffer.from(text)),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.integer(), fc.double(), fc.boolean())
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 3 })
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(10, 100, 1_000, 3_000, 10_000),
        fc.constantFrom('array' as const, 'object' as const),
      )
      .map(([depth, kind]) => Buffer.from(nested(depth, kind))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(1_000, 30_000)
      .map((length) => Buffer.from(`[${'1,'.repeat(length)}1]`)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...INVALID_UTF8))
      .map(([text, bytes]) => Buffer.concat([Buffer.from(`"${text}`), bytes, Buffer.from('"')])),
  },
);

/** Text for an id in a path, already percent-encoded where it has to be, sometimes deliberately not. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  hostileText.filter((text) => text.length < 5_000).map(percentEncode),
  fc.constantFrom(
    '..',
    '%2e%2e',
    '%2E%2E%2F%2E%2E',
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%C3%28',
    '%ED%A0%80',
    '%00',
    '%0d%0a',
    '.%00.',
    '%252e',
    ';',
    ';jsessionid=1',
    'a;b=c',
    'x'.repeat(10_000),
    '91330106MA2CF%00',
    '%2F..%2F..%2Fhealth%2Flive',
  ),
);

/** A query string's value; the same encodings as ids. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  hostileId,
  fc.constantFrom(
    '',
    '-0',
    '1e309',
    'NaN',
    '0',
    '-1',
    '201',
    '1.5',
    '0x10',
    '9999999999999999999999',
    '2024-02-30T00:00:00Z',
    '2024-06-30T16:00:00',
    '2024-06-30T16:00:00+99:99',
    '0000-00',
    '2024-13',
    '9999',
    'city',
    'xihu',
    'month',
  ),
);

/** Query parameter names: the documented ones, unknown ones, qs nesting and prototype keys. */
export function queryName(documented: readonly string[]): fc.Arbitrary<string> {
  const documentedNames = documented.length > 0 ? [fc.constantFrom(...documented)] : [];
  return fc.oneof(
    ...documentedNames,
    fc.constantFrom(
      'unknown',
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'toString',
      '__proto__[isAdmin]',
      'constructor[prototype][isAdmin]',
      'status[]',
      'limit[$gt]',
      'applicant[0]',
      'a.b',
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength: 10 }).map(percentEncode),
  );
}

/** Idempotency-Key values as header bytes: wrong alphabet, too long, non-ASCII, control characters (tab, obs-text). */
export const hostileIdempotencyKey: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'a b',
      'a'.repeat(129),
      'a'.repeat(10_000),
      '-leading-dash',
      '.',
      '../../x',
      "'; DROP TABLE idempotency.records; --",
      'key\tkey',
      '%00',
      'ключ',
      '🙂',
    )
    .map((text) => Buffer.from(text, 'utf8')),
  fc.constantFrom(...INVALID_UTF8).map((bytes) => Buffer.concat([Buffer.from('k'), bytes])),
  fc
    .string({ unit: 'grapheme', maxLength: 20 })
    .filter((text) => !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(text) && !/[\r\n\0]/.test(text))
    .map((text) => Buffer.from(text, 'utf8')),
);

/** X-Min-Position values; `future` marks valid positions beyond the log, whose answer is the documented 503. */
export const hostileMinPosition: fc.Arbitrary<{
  readonly value: Buffer;
  readonly future: boolean;
}> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      '-1',
      '-0',
      '1e3',
      '0x10',
      '1.0',
      'NaN',
      'Infinity',
      'soon',
      '１',
      '٣',
      '99999999999999999999',
      '18446744073709551616',
      '9'.repeat(400),
      '1,2',
      '1 2',
      "1'; SELECT 1; --",
    )
    .map((text) => ({ value: Buffer.from(text, 'utf8'), future: false })),
  fc
    .constantFrom('9223372036854775807', '9223372036854775808', '999999999999999999', '1000000000')
    .map((text) => ({ value: Buffer.from(text), future: true })),
  fc
    .constantFrom(...INVALID_UTF8)
    .map((bytes) => ({ value: Buffer.concat([Buffer.from('1'), bytes]), future: false })),
);

export function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded: send its would-be bytes, which are invalid UTF-8.
    return '%ED%A0%80';
  }
}

/** Random-case variants of a path's letters, e.g. /API/v1/Claims. */
export function caseVariant(path: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: path.length, maxLength: path.length })
    .map((flips) =>
      [...path].map((char, index) => (flips[index] ? char.toUpperCase() : char)).join(''),
    )
    .filter((variant) => variant !== path);
}
