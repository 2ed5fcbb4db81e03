/** Small helpers shared by the PostgreSQL adapter's modules. */
import type { PoolClient } from 'pg';

/**
 * Rolls back and drops any session-level advisory lock a failed append may still hold (ROLLBACK does
 * not release those). Returns an error when that failed: the connection must then be destroyed.
 */
export async function abandonTransaction(client: PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    await client.query('SELECT pg_advisory_unlock_all()');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : undefined;
}

export function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * The 'error' listener of a checked-out client: the pool listens only to idle clients, so a connection
 * dropped between two queries of a checked-out one would be an unhandled 'error' that ends the process.
 * Nothing to do here: the next query on it fails, and the caller abandons and destroys the connection.
 */
export const ignoreDroppedConnection = (): undefined => undefined;
