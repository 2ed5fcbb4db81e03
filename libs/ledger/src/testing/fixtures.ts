/**
 * Fixed data for decider tests: valid USCCs, a fixed clock, and command builders. Given-events are
 * produced by running the real decider on commands (`historyOf`), so they are exactly what the ledger
 * records, including the engine's assessment.
 */
import { HZ_CBEC_2023 } from '@hz/policy';
import { applicantDecider } from '../applicant/decider';
import type {
  ApplicantCommand,
  CommandMetadata,
  CountersignApproval,
  DecideClaim,
  RecordDisbursement,
  RecordRecovery,
  RegisterApplicant,
  RevokeClaim,
  Role,
  SubmitClaim,
} from '../commands';
import type { DecisionContext } from '../context';
import type { Decider } from '../decider';
import type { ApplicantEvent, JsonLike } from '../events';
import { usccFromPrefix } from '../guards';

export const NOW = '2024-07-01T10:00:00+08:00';
export const CONTEXT: DecisionContext = { catalog: HZ_CBEC_2023 };

/** Valid USCCs (check digit computed, GB 32100-2015). */
export const XIAOSHAN_CO = usccFromPrefix('91330109MA2H00001');
export const BINJIANG_CO = usccFromPrefix('91330108MA2H00002');
export const OTHER_CO = usccFromPrefix('91330105MA2H00003');

export const ADMIN = 'admin-1';
export const REVIEWER = 'reviewer-1';
export const SECOND_REVIEWER = 'reviewer-2';
export const FINANCE = 'finance-1';

let keySerial = 0;

export function meta(
  role: Role,
  actor: string,
  extra: Partial<CommandMetadata> = {},
): CommandMetadata {
  keySerial += 1;
  return {
    actor,
    role,
    now: NOW,
    idempotencyKey: `key-${keySerial}`,
    correlationId: `corr-${keySerial}`,
    causationId: `cause-${keySerial}`,
    ...extra,
  };
}

export const asApplicant = (uscc: string, extra: Partial<CommandMetadata> = {}) =>
  meta('applicant', `user-${uscc}`, { applicant: uscc, ...extra });
export const asAdmin = () => meta('admin', ADMIN);
export const asReviewer = (actor = REVIEWER) => meta('reviewer', actor);
export const asFinance = (actor = FINANCE) => meta('finance', actor);

export const EVIDENCE: { readonly [program: string]: { readonly [key: string]: JsonLike } } = {
  'c1-platform': { platformName: 'Tmall Global' },
  'c3-trademark': {
    items: [
      { date: '2024-03-01', amount: '100000.00', country: 'US', reference: 'TM-1' },
      { date: '2024-05-01', amount: '200000.00', country: 'DE', reference: 'TM-2' },
    ],
  },
  'c6-talent-event': { eventId: 'EV-1', eventName: 'CBEC Talent Fair', date: '2024-04-10' },
  'c5-consolidation-warehouse': { warehouseId: 'W1', operatingAreaSqm: '3500' },
  'c2-service-provider': {
    servedEnterprises: 60,
    serviceRevenue: '12000000.00',
    priorYearServiceRevenue: '10500000.00',
  },
};

export const register = (uscc: string, district: string): RegisterApplicant => ({
  type: 'RegisterApplicant',
  data: { uscc, name: `Company ${uscc.slice(-4)}`, district },
  metadata: asAdmin(),
});

export function submit(
  uscc: string,
  programCode: string,
  requestedAmount: string,
  options: { supportYear?: number; evidence?: { readonly [key: string]: JsonLike } } = {},
): SubmitClaim {
  const evidence = options.evidence ?? EVIDENCE[programCode];
  if (evidence === undefined) throw new Error(`no fixture evidence for ${programCode}`);
  return {
    type: 'SubmitClaim',
    data: {
      applicant: uscc,
      programCode,
      supportYear: options.supportYear ?? 2024,
      requestedAmount,
      evidence,
    },
    metadata: asApplicant(uscc),
  };
}

export const approve = (claimId: string, amount: string, actor = REVIEWER): DecideClaim => ({
  type: 'DecideClaim',
  data: { claimId, outcome: 'approve', amount, reasons: [] },
  metadata: asReviewer(actor),
});

export const countersign = (claimId: string, actor = SECOND_REVIEWER): CountersignApproval => ({
  type: 'CountersignApproval',
  data: { claimId, outcome: 'confirm', reasons: [] },
  metadata: asReviewer(actor),
});

export const disburse = (
  claimId: string,
  funder: 'city' | 'district',
  amount: string,
  paymentRef: string,
  paidAt = '2024-06-30',
): RecordDisbursement => ({
  type: 'RecordDisbursement',
  data: { claimId, funder, amount, paymentRef, paidAt },
  metadata: asFinance(),
});

export const recover = (
  claimId: string,
  funder: 'city' | 'district',
  amount: string,
  recoveryRef: string,
  recoveredAt = '2024-07-01',
): RecordRecovery => ({
  type: 'RecordRecovery',
  data: { claimId, funder, amount, recoveryRef, recoveredAt },
  metadata: asFinance(),
});

export const revoke = (
  claimId: string,
  reasons: readonly string[] = ['false evidence'],
): RevokeClaim => ({
  type: 'RevokeClaim',
  data: { claimId, reasons },
  metadata: asReviewer(),
});

/** Runs commands through a real decider and returns every event they produced, in order. */
export function historyWith<TCommand, TState, TEvent>(
  decider: Decider<TCommand, TState, TEvent, DecisionContext>,
  commands: readonly TCommand[],
): TEvent[] {
  const events: TEvent[] = [];
  let state = decider.initialState();
  for (const command of commands) {
    for (const event of decider.decide(command, state, CONTEXT)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return events;
}

/** historyWith the applicant decider. */
export function historyOf(...commands: readonly ApplicantCommand[]): ApplicantEvent[] {
  return historyWith(applicantDecider, commands);
}

export const claimOf = (uscc: string, sequence: number) => `${uscc}-${sequence}`;
