/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers written exactly as JSON.stringify writes them. Two equal values therefore always
 * give the same text, which is what the hash chain and the idempotency check compare.
 *
 * Deliberately JSON-like where JSON is lenient: `undefined`, functions and symbols are dropped from
 * objects and become `null` in arrays, and `toJSON()` is honoured (so a Date becomes its ISO string).
 * Deliberately stricter where JSON would silently lose information: NaN and ±Infinity (JSON writes
 * `null`) and bigint are rejected, as are cycles and absurd nesting.
 */
import { hash } from 'node:crypto';

/** Events are shallow documents; a deeper value is a bug (or an attack), not data. */
const DEPTH_MAX = 64;

export class CanonicalJsonError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/** Returns the canonical JSON text of `value`; throws CanonicalJsonError for what JSON cannot hold faithfully. */
export function canonicalJson(value: unknown): string {
  const text = write(value, 0, new Set<object>());
  if (text === undefined)
    throw new CanonicalJsonError('the top-level value is not representable in JSON');
  return text;
}

/** `undefined` means "omit" (like JSON.stringify), which only objects and arrays interpret. */
function write(input: unknown, depth: number, ancestors: Set<object>): string | undefined {
  if (depth > DEPTH_MAX) throw new CanonicalJsonError(`nesting deeper than ${DEPTH_MAX} levels`);
  const value = applyToJson(input);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError(`non-finite number ${String(value)}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new CanonicalJsonError('bigint is not a JSON value; write it as a decimal string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, depth, ancestors);
  }
}

function writeContainer(value: object, depth: number, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError('cyclic structure');
  ancestors.add(value);
  try {
    return Array.isArray(value)
      ? writeArray(value, depth, ancestors)
      : writeObject(value, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(items: readonly unknown[], depth: number, ancestors: Set<object>): string {
  const parts = items.map((item) => write(item, depth + 1, ancestors) ?? 'null');
  return `[${parts.join(',')}]`;
}

function writeObject(record: object, depth: number, ancestors: Set<object>): string {
  // Array.prototype.sort without a comparator orders by UTF-16 code units, exactly as RFC 8785 §3.2.3 asks.
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const text = write((record as Record<string, unknown>)[key], depth + 1, ancestors);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function applyToJson(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    const toJson: unknown = value.toJSON;
    if (typeof toJson === 'function') return (toJson as () => unknown).call(value);
  }
  return value;
}

/** SHA-256 of a UTF-8 text, as lowercase hex. */
export function sha256Hex(text: string): string {
  // Node's one-shot hash (UTF-8, as createHash().update(text, 'utf8')), without a Hash object per call:
  // about 1.1 against 2.8 µs for an event's text; every command and every whole-log job hashes each event
  // (docs/benchmarks.md "Verify at the ceiling").
  return hash('sha256', text, 'hex');
}

/** SHA-256 of the canonical JSON of a value: equal content, equal hash. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
