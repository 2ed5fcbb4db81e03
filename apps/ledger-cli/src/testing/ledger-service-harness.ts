/** Test support: the real command path (LedgerService) on a test ledger, to build the valid part of a case. */
import { LedgerService } from '@hz/application';
import { openSqliteEventStore, systemClock } from '@hz/event-store';
import type { LedgerCommand, Role } from '@hz/ledger';
import { HZ_CBEC_2023 } from '@hz/policy';
import { ledgerFile } from './ledger-surgery';

type Body = LedgerCommand extends infer C
  ? C extends LedgerCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

export interface TestActor {
  readonly actor: string;
  readonly role: Role;
  readonly applicant?: string;
}

export interface ServiceHarness {
  send(body: Body, who: TestActor): Promise<unknown>;
  readonly service: LedgerService;
}

let keyCounter = 0;

export async function withService<T>(
  dataDir: string,
  work: (harness: ServiceHarness) => Promise<T>,
): Promise<T> {
  const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
  const service = new LedgerService({
    store,
    catalog: HZ_CBEC_2023,
    countersignThreshold: HZ_CBEC_2023.countersignThreshold,
    clock: systemClock,
  });
  const send = async (body: Body, who: TestActor): Promise<unknown> => {
    keyCounter += 1;
    const key = `test-${process.pid}-${keyCounter}`;
    const outcome = await service.execute({
      ...body,
      metadata: {
        ...who,
        now: new Date().toISOString(),
        idempotencyKey: key,
        correlationId: key,
        causationId: key,
      },
    } as LedgerCommand);
    return outcome.result;
  };
  try {
    return await work({ send, service });
  } finally {
    await store.close();
  }
}
