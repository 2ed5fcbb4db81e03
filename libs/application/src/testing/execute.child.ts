/**
 * Child process for the stream-cache tests: a second process on the same SQLite file, with its own
 * LedgerService (and so its own, empty stream cache). Executes the commands in order and prints one
 * JSON line of outcomes. Run as: node -r @swc-node/register execute.child.ts '<json {file, commands[]}>'
 */
import { openSqliteEventStore } from '@hz/event-store';
import type { LedgerCommand } from '@hz/ledger';
import { fixedClock, harnessService } from './harness';

interface ExecuteInput {
  readonly file: string;
  readonly commands: readonly LedgerCommand[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ExecuteInput;
  const store = await openSqliteEventStore({ file: input.file, clock: fixedClock });
  const service = harnessService(store);
  const outcomes: string[] = [];
  for (const command of input.commands.slice(0, 100)) {
    try {
      await service.execute(command);
      outcomes.push('ok');
    } catch (error) {
      outcomes.push((error as { code?: string }).code ?? `crash: ${String(error)}`);
    }
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
