/** Hashes for the idempotency record: a request fingerprint and ids derived from it, never random. */
import { canonicalJson, sha256Hex } from '@hz/kernel';

export { sha256Hex };

/**
 * Key-sorted JSON, so `{a,b}` and `{b,a}` are the same request: the one canonical JSON (@hz/kernel).
 * Request bodies are plain JSON already (the body parser made them, at most 32 levels deep); absent is null.
 */
export function stableJson(value: unknown): string {
  return canonicalJson(value ?? null);
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
