import { canonicalJson, sha256Hex } from './canonical-json';
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

/** SHA-256 hex of the canonical JSON of everything but the hash itself. */
export function catalogHash(content: PolicyCatalogContent): string {
  return sha256Hex(canonicalJson({ ...content, hash: undefined }));
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
