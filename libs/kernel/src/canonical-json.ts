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
  const text = write(value, 0, []);
  if (text === undefined)
    throw new CanonicalJsonError('the top-level value is not representable in JSON');
  return text;
}

/*
 * One walk that appends to one string (issue 12; docs/benchmarks.md, "The write path at the machine's
 * limit"): every command writes its fingerprint, content hash, events, hash-chain parts and idempotency
 * record through here, and every whole-log job each event. The rules are the ones above; only how the text
 * is built changed: no array of parts per container, no JSON.stringify call for a string that needs no
 * escape, and the ancestors of a container (the cycle check) as the path walked so far, `path[d]` the
 * container at depth d, instead of a Set (an object put in a Set is given an identity hash). About half
 * the CPU per event-sized value of the version before; its spec holds the texts equal to that version's.
 */

/** `undefined` means "omit" (like JSON.stringify), which only objects and arrays interpret. */
function write(input: unknown, depth: number, path: object[]): string | undefined {
  if (depth > DEPTH_MAX) throw new CanonicalJsonError(`nesting deeper than ${DEPTH_MAX} levels`);
  if (typeof input === 'string') return quoted(input);
  const value = applyToJson(input);
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError(`non-finite number ${String(value)}`);
      // A finite number's JSON text is its ToString (ECMA-262 SerializeJSONProperty), -0 included ("0").
      return String(value);
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
      return writeContainer(value, depth, path);
  }
}

function writeContainer(value: object, depth: number, path: object[]): string {
  for (let at = 0; at < depth; at += 1)
    if (path[at] === value) throw new CanonicalJsonError('cyclic structure');
  path[depth] = value;
  return Array.isArray(value)
    ? writeArray(value, depth, path)
    : writeObject(value as Record<string, unknown>, depth, path);
}

function writeArray(items: readonly unknown[], depth: number, path: object[]): string {
  let text = '[';
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) text += ',';
    text += write(items[index], depth + 1, path) ?? 'null';
  }
  return `${text}]`;
}

function writeObject(record: Record<string, unknown>, depth: number, path: object[]): string {
  // Array.prototype.sort without a comparator orders by UTF-16 code units, exactly as RFC 8785 §3.2.3 asks.
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = write(record[key], depth + 1, path);
    if (member === undefined) continue;
    text += first ? quoted(key) : `,${quoted(key)}`;
    text += `:${member}`;
    first = false;
  }
  return `${text}}`;
}

/**
 * The canonical JSON of an object, and the canonical JSON of the same object with one more string member,
 * from one walk (issue 12): an append hashes its metadata's text and then stores the metadata with that
 * hash added (docs/architecture.md §2), and the second text is the first with the member put at its
 * key's sorted place. `withMember(key, value)` is exactly canonicalJson({ ...record, [key]: value }).
 */
export interface CanonicalObjectText {
  readonly text: string;
  withMember(key: string, value: string): string;
}

/** canonicalObjectText(record).text is canonicalJson(record); see CanonicalObjectText. */
export function canonicalObjectText(
  record: Readonly<Record<string, unknown>>,
): CanonicalObjectText {
  // A record with its own toJSON is written as what toJSON returns: no member offsets to keep.
  if (applyToJson(record) !== record) return new RewalkedObjectText(record);
  const path: object[] = [record];
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  // written[i] is the i-th member's key, starts[i] the offset of its quoted key in the text.
  const written: string[] = [];
  const starts: number[] = [];
  let text = '{';
  for (const key of keys) {
    const member = write(record[key], 1, path);
    if (member === undefined) continue;
    if (written.length > 0) text += ',';
    written.push(key);
    starts.push(text.length);
    text += `${quoted(key)}:${member}`;
  }
  return new MemberOffsets(record, `${text}}`, written, starts);
}

class MemberOffsets implements CanonicalObjectText {
  constructor(
    private readonly record: Readonly<Record<string, unknown>>,
    readonly text: string,
    private readonly keys: readonly string[],
    private readonly starts: readonly number[],
  ) {}

  withMember(key: string, value: string): string {
    // A key the record has (even one written as nothing) is replaced, not added: the plain way does it.
    if (Object.prototype.hasOwnProperty.call(this.record, key))
      return canonicalJson({ ...this.record, [key]: value });
    const member = `${quoted(key)}:${quoted(value)}`;
    const { keys, starts, text } = this;
    // `<` on strings compares UTF-16 code units, the order of Array.prototype.sort (writeObject).
    let at = 0;
    while (at < keys.length && (keys[at] as string) < key) at += 1;
    if (keys.length === 0) return `{${member}}`;
    if (at === keys.length) return `${text.slice(0, -1)},${member}}`;
    const start = starts[at] as number;
    return `${text.slice(0, start)}${member},${text.slice(start)}`;
  }
}

class RewalkedObjectText implements CanonicalObjectText {
  readonly text: string;

  constructor(private readonly record: Readonly<Record<string, unknown>>) {
    this.text = canonicalJson(record);
  }

  withMember(key: string, value: string): string {
    return canonicalJson({ ...this.record, [key]: value });
  }
}

/**
 * JSON.stringify of a string (a key or a value): printable ASCII without `"` or `\\` (every key the ledger
 * writes, and its codes, ids, dates, amounts and hashes) needs no escape and is written as it is between
 * quotes; anything else (control characters, quotes, backslashes, any non-ASCII, lone surrogates
 * included) by JSON.stringify itself. A scan in JavaScript costs less than JSON.stringify's call.
 */
function quoted(text: string): string {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
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
