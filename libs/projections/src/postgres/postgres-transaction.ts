/**
 * One transaction on a pooled connection; a connection whose ROLLBACK failed is destroyed, not reused.
 * While checked out, a pg client has no listener of the pool's: a server that drops the connection between
 * two queries (a restart, pg_terminate_backend) would emit an unhandled 'error' and end the process. The
 * listener below takes it; the next query then fails, the transaction is abandoned and the client destroyed.
 * `begin` is the opening statement (default BEGIN); the projector's batch passes BEGIN with its SET LOCAL
 * in one round trip (PROJECTOR_BEGIN, docs/architecture.md "The projector's commit on PostgreSQL").
 */
import type { Pool, PoolClient } from 'pg';

export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const dropped = (error: Error): void => {
    broken = error;
  };
  client.on('error', dropped);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', dropped);
    client.release(broken);
  }
}
