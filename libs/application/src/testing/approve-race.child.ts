/**
 * Child process for the multi-process approval race: opens the shared SQLite file, waits for the common
 * start instant, fires its approvals concurrently and prints one JSON line of outcomes.
 * Run as: node -r @swc-node/register approve-race.child.ts '<json {file, startAt, approvals[{claimId, amount}], reviewer}>'
 */
import { openSqliteEventStore } from '@hz/event-store';
import { approve, fixedClock, harnessService } from './harness';

interface RaceInput {
  readonly file: string;
  readonly startAt: number;
  readonly reviewer: string;
  readonly approvals: ReadonlyArray<{ readonly claimId: string; readonly amount: string }>;
}

/** Spinning, not a timer, so all processes leave the barrier within a fraction of a millisecond. */
function spinUntil(epochMs: number): void {
  let spins = 0;
  while (Date.now() < epochMs && spins < 1e10) spins += 1;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as RaceInput;
  const store = await openSqliteEventStore({ file: input.file, clock: fixedClock });
  const service = harnessService(store);
  spinUntil(input.startAt);
  const outcomes = await Promise.all(
    input.approvals.map(async ({ claimId, amount }) => {
      try {
        const result = await service.execute(approve(claimId, amount, input.reviewer));
        return {
          claimId,
          amount,
          outcome: 'ok',
          status: result.result.kind === 'claim' ? result.result.status : null,
        };
      } catch (error) {
        return {
          claimId,
          amount,
          outcome: (error as { code?: string }).code ?? `crash: ${String(error)}`,
        };
      }
    }),
  );
  await store.close();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
