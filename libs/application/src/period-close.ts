/**
 * Period close (issue 18 part 4; docs/architecture.md §2 "Period close"). `PeriodClosed` on the
 * `period-{YYYY}` stream closes a fiscal year's books for funders (`city`, `district`: every district
 * treasury). Afterwards a payment, recovery or allocation payment dated inside that year for a closed
 * funder is refused (422 PERIOD.CLOSED) before it is decided; such a movement can only be recorded as a
 * `PostCloseAdjustmentRecorded` on the period's stream, by its own role (`adjuster`, by nobody who had a
 * hand in the claim or plan: @hz/ledger period/adjustment-duties.ts), which the claim's figures never fold
 * in and reports list apart (the workbook's 期后调整 sheet, the audit pack's adjustments file).
 *
 * These events are written here, like reference reservations (references.ts), not by a decider: the
 * period stream is the consistency boundary of the close (one append with its expected revision), and
 * the check on dated commands reads it before the applicant or allocation stream is decided on, and the
 * movement's append carries the period stream's revision it read as a condition checked in the same
 * transaction, so a close racing a back-dated payment makes that payment's append fail and the retry is
 * refused (requirePeriodOpen). Verify still lists any movement in a closed period that sits after the
 * close (docs/operations.md "Period close").
 */
import { isCalendarDate } from '@hz/kernel';
import {
  StreamNotFound,
  WrongExpectedVersion,
  type AppendCondition,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@hz/event-store';
import {
  ADJUSTMENT_ROLE,
  allocationStreamId,
  applicantOfClaimId,
  applicantStreamId,
  datedMovementOf,
  DomainError,
  periodStreamId,
  PERIOD_PATTERN,
  REFERENCE_PATTERN,
  requireAdjusterIndependent,
  type LedgerCommand,
  type PeriodClosed,
  type PostCloseAdjustmentRecorded,
  type Role,
} from '@hz/ledger';
import { Money, MoneyParseError } from '@hz/money';
import { contentHash, eventIdFor } from './event-envelope';

/** A fiscal year the ledger can hold (declared with the period streams, @hz/ledger events.ts). */
export { PERIOD_PATTERN };
export const PERIOD_FUNDERS = ['city', 'district'] as const;
export type PeriodFunder = (typeof PERIOD_FUNDERS)[number];
/** Who closes a period, and who records an adjustment after the close (neither admin nor finance). */
export const PERIOD_CLOSE_ROLE: Role = 'admin';
export const POST_CLOSE_ADJUSTMENT_ROLE: Role = ADJUSTMENT_ROLE;

export interface PeriodCaller {
  readonly actor: string;
  readonly role: Role;
  /** The USCC the caller's token acts for, if any (separation of duties on adjustments). */
  readonly applicant?: string;
  readonly idempotencyKey: string;
  readonly correlationId?: string;
  /** Ledger time of the request (ISO-8601). */
  readonly now: string;
}

export interface PeriodState {
  readonly revision: bigint;
  readonly closed: ReadonlySet<PeriodFunder>;
  readonly eventIds: ReadonlySet<string>;
}

/** The period stream as stored; empty before anything was recorded on it. */
async function periodEvents(store: EventStore, period: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(periodStreamId(period));
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    return [];
  }
}

/** Adds the funders a PeriodClosed closes; any other event adds none. */
function addClosedFunders(closed: Set<PeriodFunder>, event: RecordedEvent): void {
  if (event.type === 'PeriodClosed')
    for (const funder of (event.data as unknown as PeriodClosed['data']).funders)
      closed.add(funder as PeriodFunder);
}

export async function readPeriod(store: EventStore, period: string): Promise<PeriodState> {
  const closed = new Set<PeriodFunder>();
  const eventIds = new Set<string>();
  let revision = -1n;
  for (const event of await periodEvents(store, period)) {
    revision = event.revision;
    eventIds.add(event.id);
    addClosedFunders(closed, event);
  }
  return { revision, closed, eventIds };
}

function requirePeriod(period: unknown): string {
  if (typeof period !== 'string' || !PERIOD_PATTERN.test(period))
    throw new DomainError('PERIOD.INVALID', 'a period is a fiscal year YYYY (20xx)', {
      field: 'period',
    });
  return period;
}

function requireRole(caller: PeriodCaller, role: Role, what: string): void {
  if (caller.role !== role)
    throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `${what} needs role ${role}`, {
      role: caller.role,
      allowed: [role],
    });
}

function requireReasons(reasons: unknown): string[] {
  const kept = Array.isArray(reasons)
    ? reasons.filter(
        (reason): reason is string => typeof reason === 'string' && reason.trim() !== '',
      )
    : [];
  if (kept.length === 0)
    throw new DomainError('PERIOD.INVALID', 'at least one reason is required', {
      field: 'reasons',
    });
  return kept.map((reason) => reason.trim());
}

function metadataOf(caller: PeriodCaller, commandType: string, hash: string, occurredAt: string) {
  return {
    actor: caller.actor,
    role: caller.role,
    correlationId: caller.correlationId ?? caller.idempotencyKey,
    causationId: caller.idempotencyKey,
    idempotencyKey: caller.idempotencyKey,
    occurredAt,
    commandType,
    commandHash: hash,
  };
}

async function appendOnce(
  store: EventStore,
  period: string,
  state: PeriodState,
  event: PeriodClosed | PostCloseAdjustmentRecorded,
  caller: PeriodCaller,
  commandType: string,
  occurredAt: string,
): Promise<{ position: bigint; replayed: boolean }> {
  const hash = contentHash({ type: commandType, data: event.data });
  const id = eventIdFor(caller.actor, caller.idempotencyKey, 0);
  const appended = await store.appendToStream(
    periodStreamId(period),
    [
      {
        id,
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: metadataOf(caller, commandType, hash, occurredAt),
      },
    ],
    { expectedRevision: state.revision < 0n ? 'no_stream' : state.revision },
  );
  return { position: appended.position, replayed: state.eventIds.has(id) };
}

/** Closes `period` for `funders` (both when none are named); 409 PERIOD.ALREADY_CLOSED when nothing is left open. */
export async function closePeriod(
  store: EventStore,
  input: { readonly period: unknown; readonly funders?: unknown; readonly reasons: unknown },
  caller: PeriodCaller,
): Promise<{ position: bigint; replayed: boolean; event: PeriodClosed }> {
  requireRole(caller, PERIOD_CLOSE_ROLE, 'closing a period');
  const period = requirePeriod(input.period);
  const asked = input.funders === undefined ? [...PERIOD_FUNDERS] : input.funders;
  if (
    !Array.isArray(asked) ||
    asked.length === 0 ||
    !asked.every((funder) => PERIOD_FUNDERS.includes(funder as PeriodFunder))
  )
    throw new DomainError('PERIOD.INVALID', 'funders are "city" and/or "district"', {
      field: 'funders',
    });
  const funders = PERIOD_FUNDERS.filter((funder) => asked.includes(funder));
  const event: PeriodClosed = {
    type: 'PeriodClosed',
    data: { period, funders, reasons: requireReasons(input.reasons) },
  };
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const state = await readPeriod(store, period);
    if (state.eventIds.has(eventIdFor(caller.actor, caller.idempotencyKey, 0)))
      return {
        ...(await appendOnce(store, period, state, event, caller, 'ClosePeriod', caller.now)),
        event,
      };
    if (funders.every((funder) => state.closed.has(funder)))
      throw new DomainError(
        'PERIOD.ALREADY_CLOSED',
        `period ${period} is closed for ${funders.join(', ')}`,
        {
          period,
          funders,
        },
      );
    try {
      return {
        ...(await appendOnce(store, period, state, event, caller, 'ClosePeriod', caller.now)),
        event,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
  }
  throw new DomainError('CONCURRENCY.CONFLICT', `period ${period} kept changing`, { period });
}

/**
 * Refuses (422 PERIOD.CLOSED) a payment, recovery or allocation payment dated inside a closed period.
 * Otherwise answers the condition the movement's append carries (null for a command with no date in a
 * fiscal year): the period stream at the revision read here, checked by the event store in the append's
 * own transaction (AppendOptions.conditions, docs/architecture.md §4). A close committed in between fails
 * that append with WrongExpectedVersion; the command service then reads again, calls this again, and the
 * movement is refused PERIOD.CLOSED (docs/operations.md "Period close").
 */
export async function requirePeriodOpen(
  store: EventStore,
  command: LedgerCommand,
): Promise<AppendCondition | null> {
  const movement = datedMovementOf(command.type, command.data as Readonly<Record<string, unknown>>);
  if (movement === null) return null;
  const period = movement.period;
  if (period === null || !PERIOD_PATTERN.test(period)) return null;
  const state = await readPeriod(store, period);
  if (state.closed.has(movement.funder))
    throw new DomainError(
      'PERIOD.CLOSED',
      `period ${period} is closed for ${movement.funder}; record a post-close adjustment instead`,
      { period, funder: movement.funder, datedOn: movement.datedOn },
    );
  return {
    streamId: periodStreamId(period),
    expectedRevision: state.revision < 0n ? 'no_stream' : state.revision,
  };
}

/** The subject's stream (a claim's applicant stream, else the plan's) checked against the caller. */
async function requireIndependentAdjuster(
  store: EventStore,
  subjectId: string,
  caller: PeriodCaller,
): Promise<void> {
  const applicant = applicantOfClaimId(subjectId);
  const streamId =
    applicant === undefined ? allocationStreamId(subjectId) : applicantStreamId(applicant);
  let events: { type: string; data: Readonly<Record<string, unknown>>; actor: string }[] = [];
  try {
    events = (await store.readStream(streamId)).map((event) => ({
      type: event.type,
      data: event.data,
      actor: event.metadata.actor,
    }));
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  requireAdjusterIndependent(subjectId, events, {
    actor: caller.actor,
    ...(caller.applicant === undefined ? {} : { applicant: caller.applicant }),
  });
}

/**
 * A movement dated inside a closed period, recorded after the close as an adjustment (its own event type
 * and role). Refused while the period is still open for that funder (PERIOD.NOT_CLOSED): then the movement
 * is an ordinary payment or recovery. Refused for an unknown subject (PERIOD.SUBJECT_NOT_FOUND) and for a
 * caller who had a hand in it (SOD.ADJUSTER_INVOLVED, SOD.CLAIM_APPLICANT).
 */
export async function recordPostCloseAdjustment(
  store: EventStore,
  input: Readonly<Record<string, unknown>>,
  caller: PeriodCaller,
): Promise<{ position: bigint; replayed: boolean; event: PostCloseAdjustmentRecorded }> {
  requireRole(caller, POST_CLOSE_ADJUSTMENT_ROLE, 'a post-close adjustment');
  const datedOn = input['datedOn'];
  if (!isCalendarDate(datedOn))
    throw new DomainError('PERIOD.INVALID', 'datedOn is a date YYYY-MM-DD', { field: 'datedOn' });
  const period = requirePeriod((datedOn as string).slice(0, 4));
  const funder = input['funder'];
  const kind = input['kind'];
  const subjectId = input['subjectId'];
  const reference = input['reference'];
  if (funder !== 'city' && funder !== 'district')
    throw new DomainError('PERIOD.INVALID', 'funder is "city" or "district"', { field: 'funder' });
  if (kind !== 'disbursement' && kind !== 'recovery')
    throw new DomainError('PERIOD.INVALID', 'kind is "disbursement" or "recovery"', {
      field: 'kind',
    });
  if (
    typeof subjectId !== 'string' ||
    !REFERENCE_PATTERN.test(subjectId.slice(0, 64)) ||
    subjectId.length > 128
  )
    throw new DomainError('PERIOD.INVALID', 'subjectId names the claim or plan', {
      field: 'subjectId',
    });
  if (typeof reference !== 'string' || !REFERENCE_PATTERN.test(reference))
    throw new DomainError('REFERENCE.INVALID', 'not a reference', { field: 'reference' });
  let amount: Money;
  try {
    amount = Money.parse(input['amount']);
  } catch (error) {
    if (error instanceof MoneyParseError)
      throw new DomainError(error.code, error.message, { field: 'amount' });
    throw error;
  }
  if (!amount.isPositive())
    throw new DomainError('PERIOD.INVALID', 'an adjustment is above 0.00', { field: 'amount' });
  const reasons = requireReasons(input['reasons']);
  await requireIndependentAdjuster(store, subjectId, caller);
  const event: PostCloseAdjustmentRecorded = {
    type: 'PostCloseAdjustmentRecorded',
    data: {
      period,
      funder,
      kind,
      subjectId,
      amount: amount.toString(),
      reference,
      datedOn: datedOn as string,
      reasons,
    },
  };
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const state = await readPeriod(store, period);
    const known = state.eventIds.has(eventIdFor(caller.actor, caller.idempotencyKey, 0));
    if (!known && !state.closed.has(funder))
      throw new DomainError(
        'PERIOD.NOT_CLOSED',
        `period ${period} is open for ${funder}: record the movement itself`,
        { period, funder },
      );
    try {
      return {
        ...(await appendOnce(
          store,
          period,
          state,
          event,
          caller,
          'RecordPostCloseAdjustment',
          event.data.datedOn,
        )),
        event,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
  }
  throw new DomainError('CONCURRENCY.CONFLICT', `period ${period} kept changing`, { period });
}

/** One adjustment as reports list it: the event's data, where it sits in the log and who recorded it. */
export interface ListedAdjustment {
  readonly position: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly funder: string;
  readonly kind: 'disbursement' | 'recovery';
  readonly subjectId: string;
  readonly amount: string;
  readonly reference: string;
  readonly datedOn: string;
  readonly reasons: readonly string[];
}

export interface PeriodAdjustments {
  readonly period: string;
  /** The funders the period is closed for ('city', 'district'). */
  readonly closed: readonly PeriodFunder[];
  readonly adjustments: readonly ListedAdjustment[];
  /** Per funder and kind, the exact sum (never folded into the claims' or the fiscal report's figures). */
  readonly totals: readonly {
    readonly funder: string;
    readonly kind: 'disbursement' | 'recovery';
    readonly amount: string;
    readonly count: number;
  }[];
}

/** The period's post-close adjustments, listed apart (GET /periods/{period}/adjustments, docs/operations.md). */
export async function listPostCloseAdjustments(
  store: EventStore,
  period: unknown,
): Promise<PeriodAdjustments> {
  const year = requirePeriod(period);
  const closed = new Set<PeriodFunder>();
  const adjustments: ListedAdjustment[] = [];
  const sums = new Map<
    string,
    { funder: string; kind: ListedAdjustment['kind']; amounts: Money[] }
  >();
  for (const event of await periodEvents(store, year)) {
    addClosedFunders(closed, event);
    if (event.type !== 'PostCloseAdjustmentRecorded') continue;
    const data = event.data as unknown as PostCloseAdjustmentRecorded['data'];
    adjustments.push({
      position: event.position.toString(),
      recordedAt: event.metadata.recordedAt,
      actor: event.metadata.actor,
      funder: data.funder,
      kind: data.kind,
      subjectId: data.subjectId,
      amount: data.amount,
      reference: data.reference,
      datedOn: data.datedOn,
      reasons: [...data.reasons],
    });
    const key = `${data.funder} ${data.kind}`;
    const sum = sums.get(key) ?? { funder: data.funder, kind: data.kind, amounts: [] };
    sum.amounts.push(Money.parse(data.amount));
    sums.set(key, sum);
  }
  return {
    period: year,
    closed: PERIOD_FUNDERS.filter((funder) => closed.has(funder)),
    adjustments,
    totals: [...sums.values()]
      .sort((a, b) => (`${a.funder} ${a.kind}` < `${b.funder} ${b.kind}` ? -1 : 1))
      .map((sum) => ({
        funder: sum.funder,
        kind: sum.kind,
        amount: Money.sum(sum.amounts).toString(),
        count: sum.amounts.length,
      })),
  };
}
