/**
 * Deterministic identities: event ids derive from the command's idempotency key, so a retried command
 * produces the same ids and the store recognises the retry; content hashes tell a replay from a reuse.
 */
import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson, sha256Hex } from '@hz/kernel';

export { sha256Hex };

/** SHA-256 of the canonical JSON (@hz/kernel, RFC 8785 style) of a value: equal content, equal hash. */
export const contentHash = canonicalHash;

/**
 * A UUID in the manner of version 5 (name-based), but over SHA-256 instead of SHA-1. The name is scoped
 * by the actor, so two clients that happen to pick the same key never collide, while one client's retry
 * always does. `slot` is the event's index in the command's output, or a label for side streams.
 */
export function eventIdFor(actor: string, idempotencyKey: string, slot: number | string): string {
  const digest = createHash('sha256')
    .update(canonicalJson(['hz-ledger/event/v1', actor, idempotencyKey, slot]), 'utf8')
    .digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5 (name-based)
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
