/**
 * Test harness for LedgerService on the real SQLite adapter (':memory:' or a file shared by processes),
 * with a fixed clock and command builders. Spec helpers only: nothing in production imports this.
 */
import {
  openSqliteEventStore,
  type Clock,
  type EventStore,
  type JsonObject,
} from '@hz/event-store';
import { usccFromPrefix, type CommandMetadata, type LedgerCommand } from '@hz/ledger';
import { meta, NOW } from '@hz/ledger/testing';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import { LedgerService, type LedgerServiceOptions } from '../ledger.service';

export { NOW };
export const fixedClock: Clock = { now: () => new Date('2024-07-01T02:00:00.000Z') };

export const APPLICANT = usccFromPrefix('91330109MA2H00001');
export const OTHER_APPLICANT = usccFromPrefix('91330108MA2H00002');

export interface Harness {
  readonly store: EventStore;
  readonly service: LedgerService;
  close(): Promise<void>;
}

/** A LedgerService with the harness's catalog, threshold and clock on `store`; options override them. */
export function harnessService(
  store: EventStore,
  options: Partial<LedgerServiceOptions> = {},
): LedgerService {
  return new LedgerService({
    store,
    catalog: HZ_CBEC_2023,
    countersignThreshold: Money.parse('500000.00'),
    clock: fixedClock,
    ...options,
  });
}

/** In-process tests do not wait between retries; the child processes (*.child.ts) keep the real backoff. */
export async function openHarness(
  file = ':memory:',
  options: Partial<LedgerServiceOptions> = {},
): Promise<Harness> {
  const store = options.store ?? (await openSqliteEventStore({ file, clock: fixedClock }));
  const service = harnessService(store, { sleep: async () => undefined, ...options });
  return { store, service, close: () => store.close() };
}

let serial = 0;

/** The ledger fixtures' metadata, with idempotency keys unique across the processes sharing a file. */
export const metadata: typeof meta = (role, actor, extra = {}) =>
  meta(role, actor, { idempotencyKey: `key-${process.pid}-${(serial += 1)}`, ...extra });

export const register = (
  uscc: string,
  district: string,
  extra: Partial<CommandMetadata> = {},
): LedgerCommand => ({
  type: 'RegisterApplicant',
  data: { uscc, name: `Company ${uscc.slice(-4)}`, district },
  metadata: metadata('admin', 'admin-1', extra),
});

const submit = (
  uscc: string,
  programCode: string,
  requestedAmount: string,
  evidence: JsonObject,
  extra: Partial<CommandMetadata>,
): LedgerCommand => ({
  type: 'SubmitClaim',
  data: { applicant: uscc, programCode, supportYear: 2024, requestedAmount, evidence },
  metadata: metadata('applicant', `user-${uscc}`, { applicant: uscc, ...extra }),
});

export const submitPlatform = (
  uscc: string,
  requestedAmount: string,
  extra: Partial<CommandMetadata> = {},
): LedgerCommand =>
  submit(uscc, 'c1-platform', requestedAmount, { platformName: 'Tmall Global' }, extra);

export const submitTrademark = (
  uscc: string,
  requestedAmount: string,
  extra: Partial<CommandMetadata> = {},
): LedgerCommand =>
  submit(
    uscc,
    'c3-trademark',
    requestedAmount,
    {
      items: [
        { date: '2024-03-01', amount: '100000.00', country: 'US', reference: 'TM-1' },
        { date: '2024-05-01', amount: '200000.00', country: 'DE', reference: 'TM-2' },
      ],
    },
    extra,
  );

export const approve = (
  claimId: string,
  amount: string,
  actor = 'reviewer-1',
  extra: Partial<CommandMetadata> = {},
): LedgerCommand => ({
  type: 'DecideClaim',
  data: { claimId, outcome: 'approve', amount, reasons: ['meets clause'] },
  metadata: metadata('reviewer', actor, extra),
});

export const countersign = (claimId: string, actor = 'reviewer-2'): LedgerCommand => ({
  type: 'CountersignApproval',
  data: { claimId, outcome: 'confirm', reasons: [] },
  metadata: metadata('reviewer', actor),
});

export const disburse = (
  claimId: string,
  funder: 'city' | 'district',
  amount: string,
  paymentRef: string,
  extra: Partial<CommandMetadata> = {},
): LedgerCommand => ({
  type: 'RecordDisbursement',
  data: { claimId, funder, amount, paymentRef, paidAt: '2024-06-30' },
  metadata: metadata('finance', 'finance-1', extra),
});

export const revoke = (claimId: string): LedgerCommand => ({
  type: 'RevokeClaim',
  data: { claimId, reasons: ['forged invoice'] },
  metadata: metadata('reviewer', 'reviewer-3'),
});

export const recover = (
  claimId: string,
  funder: 'city' | 'district',
  amount: string,
  recoveryRef: string,
): LedgerCommand => ({
  type: 'RecordRecovery',
  data: { claimId, funder, amount, recoveryRef, recoveredAt: '2024-07-01' },
  metadata: metadata('finance', 'finance-1'),
});

/** The code of a DomainError (or the message of anything else) a promise rejects with. */
export async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected a refusal, got a success');
}
