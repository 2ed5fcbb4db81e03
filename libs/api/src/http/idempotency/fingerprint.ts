/** Hashes for the idempotency record: a request fingerprint and ids derived from it, never random. */
import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Key-sorted JSON, so `{a,b}` and `{b,a}` are the same request. Request bodies are plain JSON already
 * (the body parser made them), so no special values need handling beyond a depth bound.
 */
export function stableJson(value: unknown, depth = 0): string {
  if (depth > 64) throw new RangeError('stableJson: nesting deeper than 64 levels');
  if (Array.isArray(value))
    return `[${value.map((item) => stableJson(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) =>
          `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key], depth + 1)}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return sha256Hex(stableJson({ method: method.toUpperCase(), path, body: body ?? null }));
}

/** A UUID (version 8, "custom") from a hash, so a retried write appends events with the same ids. */
export function uuidFromName(name: string): string {
  const hex = sha256Hex(name).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20, 32)}`;
}
