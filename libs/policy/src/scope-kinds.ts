import type { ScopeKind } from './api';

/** Scopes that take claims; `allocation` (c9) and `not-claimable` (c7) do not. A leaf module, so the catalog check can use it while catalogs load. */
const CLAIMABLE_SCOPES: readonly ScopeKind[] = ['annual', 'one-time', 'per-subject'];

export function isClaimableScope(scope: ScopeKind): boolean {
  return CLAIMABLE_SCOPES.includes(scope);
}
