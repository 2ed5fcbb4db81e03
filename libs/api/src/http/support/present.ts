/** Turning ledger results into JSON bodies: positions (bigint) as decimal strings, Money via toJSON. */
import type { JsonObject } from '@hz/event-store';

export function toJsonObject(value: unknown): JsonObject {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  const parsed: unknown = JSON.parse(text ?? '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('a ledger result must be an object');
  return parsed as JsonObject;
}
