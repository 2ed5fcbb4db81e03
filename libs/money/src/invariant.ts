/**
 * Asserts a condition the code relies on (TIGER_STYLE): a failure is a bug in our code, never a user
 * error, so it throws loudly instead of returning a refusal.
 */
export function assertInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}
