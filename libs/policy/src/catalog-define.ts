import { canonicalHash } from '@hz/kernel';
import { catalogProblems } from './catalog-check';
import type { PolicyCatalog, PolicyCatalogContent } from './catalog-types';

/**
 * Turns catalog content into a catalog: checks that it is consistent (a broken catalog must fail at
 * start-up, not on the first claim), stamps the hash of its content and freezes it, so that the hash
 * recorded on every decision keeps describing the data that made it.
 */
export function defineCatalog(content: PolicyCatalogContent): PolicyCatalog {
  const problems = catalogProblems(content);
  if (problems.length > 0)
    throw new Error(`catalog ${content.id} is inconsistent: ${problems.join('; ')}`);
  return deepFreeze({ ...content, hash: catalogHash(content) });
}

/**
 * SHA-256 hex of the canonical JSON (@hz/kernel, the one the event store hashes with) of everything but
 * the hash itself, once the content is known to hold only catalog data.
 */
export function catalogHash(content: PolicyCatalogContent): string {
  const hashed = { ...content, hash: undefined };
  assertCatalogData(hashed);
  return canonicalHash(hashed);
}

/**
 * What a catalog may hold: strings, booleans, null, safe integers, arrays, plain objects, and values
 * with `toJSON` (Money becomes its 2-digit string). Amounts and rates are strings, so a fractional
 * number, a function or an undefined array entry is a bug in the catalog and throws.
 */
export function assertCatalogData(value: unknown): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`a catalog holds integers only, not ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) assertCatalogData(element);
    return;
  }
  if (typeof value === 'object') {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return assertCatalogData(withJson.toJSON());
    for (const field of Object.values(value)) if (field !== undefined) assertCatalogData(field);
    return;
  }
  throw new TypeError(`a catalog cannot hold a ${typeof value}`);
}

/** Freezes plain objects and arrays; Money and Decimal instances are immutable already. */
function deepFreeze<T>(value: T): T {
  const isPlain =
    Array.isArray(value) ||
    (typeof value === 'object' &&
      value !== null &&
      Object.getPrototypeOf(value) === Object.prototype);
  if (!isPlain) return value;
  for (const child of Object.values(value as object)) deepFreeze(child);
  return Object.freeze(value);
}
