/**
 * Opens the ledger the environment names for the length of one command and always closes it, so a
 * failing check never leaves a SQLite handle (and its WAL) open.
 */
import { ledgerEnvFrom, LedgerNotFound, openLedgerContext, type LedgerContext } from '@hz/audit';
import { UsageError, type CliIo } from '../cli-frame';

export async function withLedger<T>(
  io: CliIo,
  options: { create: boolean },
  work: (context: LedgerContext) => Promise<T>,
): Promise<T> {
  const ledgerEnv = ledgerEnvFrom(io.env, io.cwd);
  let context: LedgerContext;
  try {
    context = await openLedgerContext(ledgerEnv, options);
  } catch (error) {
    if (error instanceof LedgerNotFound) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
