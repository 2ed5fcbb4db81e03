/**
 * The command registry (docs/architecture.md §2 "Commands"): one entry per command type with everything the
 * system needs to know about it, declared once. From an entry come the stream the command is decided on
 * (`targetOf`), who may send it (`authorize` in the deciders), the decider branch that handles it, and its
 * HTTP route and request fields, which libs/api turns into a Nest route with its DTO, validation and OpenAPI
 * schema, and the CLI (`ledger commands`, `ledger command <Type>`) lists and runs.
 *
 * The domain may not import Nest or class-validator (eslint `type:domain`), so a request field is plain
 * data here (`{ kind: 'money', doc }`); libs/api/src/http/validation/fields.ts maps each kind to its
 * decorators. Adding a command: its type in commands.ts, its function in applicant/ or allocation/, one
 * entry below.
 */
import type { JsonLike } from './events';
import {
  allocationStreamId,
  applicantOfClaimId,
  applicantStreamId,
  RECORDED_PAYMENT_CHANNELS,
  type AllocationEvent,
  type ApplicantEvent,
} from './events';
import type {
  AllocationCommand,
  ApplicantCommand,
  LedgerCommand,
  LedgerCommandType,
  Role,
} from './commands';
import type { DecisionContext } from './context';
import { DomainError } from './errors';
import { isValidUscc } from './guards';
import type { AllocationState } from './allocation/state';
import { decideAllocationPlan, recordAllocationDisbursement } from './allocation/plan';
import type { ApplicantState } from './applicant/state';
import { countersignApproval, decideClaim } from './applicant/decision';
import { recordDisbursement, recordRecovery, revokeClaim } from './applicant/payments';
import {
  clearIntegrityFlag,
  raiseIntegrityFlag,
  registerApplicant,
  relocateApplicant,
} from './applicant/profile';
import { submitClaim, withdrawClaim } from './applicant/submit';

/** A request field as data; each kind is one field decorator of libs/api (validation + OpenAPI). */
export type FieldSpec =
  | {
      readonly kind:
        | 'uscc'
        | 'name'
        | 'district'
        | 'date'
        | 'dateOrDateTime'
        | 'reference'
        | 'text'
        | 'optionalText'
        | 'decimal';
      readonly doc: string;
    }
  /** A money string; with `onlyWhen`, optional and sent exactly when another field has that value. */
  | {
      readonly kind: 'money';
      readonly doc: string;
      readonly onlyWhen?: { readonly field: string; readonly equals: string };
    }
  | { readonly kind: 'funder' }
  /** An optional log position; without it in the body, the route reads it from `header` (if named). */
  | { readonly kind: 'position'; readonly doc: string; readonly header?: string }
  | { readonly kind: 'programCode'; readonly doc: string; readonly example: string }
  | { readonly kind: 'planId'; readonly example: string }
  | { readonly kind: 'reasons'; readonly min: number; readonly doc: string }
  /** One of `values`; with `optional`, the field may be left out (the decider then takes its default). */
  | {
      readonly kind: 'choice';
      readonly values: readonly string[];
      readonly doc?: string;
      readonly optional?: boolean;
    }
  | {
      readonly kind: 'integer';
      readonly min: number;
      readonly max: number;
      readonly example: number;
      readonly doc: string;
    }
  /** A JSON object checked by the policy engine against the program named by `programField`. */
  | {
      readonly kind: 'evidence';
      readonly doc: string;
      readonly programField: string;
      readonly example: { readonly [key: string]: JsonLike };
    }
  | {
      readonly kind: 'list';
      /** The item's schema name (an OpenAPI component `${itemName}Request`). */
      readonly itemName: string;
      readonly item: FieldSpecs;
      readonly min: number;
      readonly max: number;
    };
export type FieldSpecs = { readonly [field: string]: FieldSpec };

/** A path parameter and the command field it fills. */
export interface PathParamSpec {
  readonly field: string;
  readonly kind: 'uscc' | 'claimId' | 'planId';
}

export interface HttpSpec {
  readonly method: 'POST';
  /** Under /api/v1, in Express syntax (`claims/:id/decisions`); the first segment is the OpenAPI tag. */
  readonly path: string;
  readonly params: { readonly [name: string]: PathParamSpec };
  readonly status: 200 | 201;
  readonly summary: string;
  /** `submission`: the body of POST /claims (claim id, status and assessment); otherwise the new state. */
  readonly response: 'state' | 'submission';
}

/** Which stream a command is decided on, and the command field that names it (docs/architecture.md §2). */
export type StreamSpec =
  | { readonly kind: 'applicant'; readonly by: 'uscc' | 'applicant' | 'claimId' }
  | { readonly kind: 'allocation'; readonly by: 'planId' };

interface Definition<TCommand extends LedgerCommand, TState, TEvent> {
  readonly type: TCommand['type'];
  /** Who may send it (docs/architecture.md §6); the HTTP guard and the decider both check these. */
  readonly roles: readonly Role[];
  readonly stream: StreamSpec;
  /** The decider branch; the decider has authorised the command before. */
  decide(command: TCommand, state: TState, context: DecisionContext): readonly TEvent[];
  readonly http: HttpSpec;
  /** The request body's fields, in the order of the command's data (path parameters come first). */
  readonly fields: FieldSpecs;
  /** Values the command data carries when the request leaves the field out (they are part of its hash). */
  readonly defaults?: Partial<TCommand['data']>;
}

export type ApplicantCommandDefinition<TCommand extends ApplicantCommand = ApplicantCommand> =
  Definition<TCommand, ApplicantState, ApplicantEvent>;
export type AllocationCommandDefinition<TCommand extends AllocationCommand = AllocationCommand> =
  Definition<TCommand, AllocationState, AllocationEvent>;
export type CommandDefinition = ApplicantCommandDefinition | AllocationCommandDefinition;

type Registry<TCommand extends LedgerCommand, TState, TEvent> = {
  readonly [K in TCommand['type']]: Definition<Extract<TCommand, { type: K }>, TState, TEvent>;
};

const BY_CLAIM = { kind: 'applicant', by: 'claimId' } as const;
const BY_USCC = { kind: 'applicant', by: 'uscc' } as const;
const BY_PLAN = { kind: 'allocation', by: 'planId' } as const;
/** The path parameter of a route under its stream's object (`:id` of a claim or plan, `:uscc`). */
const PATH_PARAMS: { readonly [by in StreamSpec['by']]: HttpSpec['params'] } = {
  claimId: { id: { field: 'claimId', kind: 'claimId' } },
  uscc: { uscc: { field: 'uscc', kind: 'uscc' } },
  planId: { id: { field: 'planId', kind: 'planId' } },
  applicant: {},
};

/** An entry as written below: its route flat beside it, the response the new state unless named. */
type Entry<TCommand extends LedgerCommand, TState, TEvent> = Omit<
  Definition<TCommand, TState, TEvent>,
  'decide' | 'http'
> &
  Pick<HttpSpec, 'path' | 'status' | 'summary'> &
  Partial<Pick<HttpSpec, 'response'>>;

/**
 * Every command is a POST; a route with a parameter (`claims/:id/decisions`) names the object of the
 * command's stream, so the parameter follows from `stream`.
 */
function post<TCommand extends LedgerCommand, TState, TEvent>(
  decide: (
    command: TCommand,
    state: TState,
    context: DecisionContext,
  ) => readonly NoInfer<TEvent>[],
  entry: Entry<TCommand, TState, TEvent>,
): Definition<TCommand, TState, TEvent> {
  const { path, status, summary, response = 'state', ...rest } = entry;
  const params = path.includes('/:') ? PATH_PARAMS[entry.stream.by] : {};
  return { ...rest, decide, http: { method: 'POST', path, params, status, summary, response } };
}

const WHY = { reason: { kind: 'text', doc: 'why' } } as const;

/** Hangzhou has 14 district codes; the bound leaves room for a later catalog without unbounded input. */
const MAX_SCORES = 50;

export const APPLICANT_COMMANDS: Registry<ApplicantCommand, ApplicantState, ApplicantEvent> = {
  RegisterApplicant: post(registerApplicant, {
    type: 'RegisterApplicant',
    roles: ['admin'],
    stream: BY_USCC,
    path: 'applicants',
    status: 201,
    summary: 'Register an applicant (409 if it exists)',
    fields: {
      uscc: { kind: 'uscc', doc: 'the applicant' },
      name: { kind: 'name', doc: 'registered name' },
      district: { kind: 'district', doc: 'registered district' },
    },
  }),
  RelocateApplicant: post(relocateApplicant, {
    type: 'RelocateApplicant',
    roles: ['admin'],
    stream: BY_USCC,
    path: 'applicants/:uscc/relocations',
    status: 200,
    summary: 'Change the registered district (later approvals split by the new one)',
    fields: {
      district: { kind: 'district', doc: 'the new district' },
      effectiveDate: { kind: 'date', doc: 'from when the new district applies' },
    },
  }),
  RaiseIntegrityFlag: post(raiseIntegrityFlag, {
    type: 'RaiseIntegrityFlag',
    roles: ['admin'],
    stream: BY_USCC,
    path: 'applicants/:uscc/integrity-flags',
    status: 200,
    summary: 'Raise an integrity flag (clause 十): blocks submit and approve',
    fields: WHY,
  }),
  ClearIntegrityFlag: post(clearIntegrityFlag, {
    type: 'ClearIntegrityFlag',
    roles: ['admin'],
    stream: BY_USCC,
    path: 'applicants/:uscc/integrity-flag-clearances',
    status: 200,
    summary: 'Clear the integrity flag',
    fields: WHY,
  }),
  SubmitClaim: post(submitClaim, {
    type: 'SubmitClaim',
    roles: ['applicant'],
    stream: { kind: 'applicant', by: 'applicant' },
    path: 'claims',
    status: 201,
    summary: 'Submit a claim for the applicant the token acts for',
    response: 'submission',
    fields: {
      applicant: {
        kind: 'uscc',
        doc: "the applicant the claim is filed for (must be the token's own)",
      },
      programCode: {
        kind: 'programCode',
        doc: 'program code of docs/policy.md §3',
        example: 'c3-trademark',
      },
      // The policy window is a rule (422); this range only keeps absurd values out of the ledger.
      supportYear: {
        kind: 'integer',
        min: 1900,
        max: 2999,
        example: 2024,
        doc: 'calendar year of the supported activity (2023..2026)',
      },
      requestedAmount: { kind: 'money', doc: 'amount requested' },
      evidence: {
        kind: 'evidence',
        programField: 'programCode',
        doc: 'program-specific evidence (docs/policy.md §3); checked field by field by the policy engine (400 EVIDENCE.*)',
        example: {
          items: [{ date: '2024-03-01', amount: '100000.00', country: 'US', reference: 'TM-1' }],
        },
      },
    },
  }),
  WithdrawClaim: post(withdrawClaim, {
    type: 'WithdrawClaim',
    roles: ['applicant'],
    stream: BY_CLAIM,
    path: 'claims/:id/withdrawal',
    status: 200,
    summary: 'Withdraw an own claim that has no decision yet',
    fields: { reason: { kind: 'optionalText', doc: 'why the applicant withdraws' } },
    defaults: { reason: null },
  }),
  DecideClaim: post(decideClaim, {
    type: 'DecideClaim',
    roles: ['reviewer'],
    stream: BY_CLAIM,
    path: 'claims/:id/decisions',
    status: 200,
    summary: 'Approve (→ approved or pending_countersign) or reject a submitted claim',
    fields: {
      outcome: { kind: 'choice', values: ['approve', 'reject'] },
      amount: {
        kind: 'money',
        doc: 'required to approve; 0 < amount ≤ ceiling',
        onlyWhen: { field: 'outcome', equals: 'approve' },
      },
      reasons: {
        kind: 'reasons',
        min: 0,
        doc: "the reviewer's reasons (a rejection needs at least one)",
      },
      viewPosition: {
        kind: 'position',
        header: 'X-View-Position',
        doc:
          'the log position of the view the reviewer decided from (the X-View-Position of GET /claims/{id}); ' +
          'if the ceiling or split changed since, 409 DECISION.STALE_VIEW with the current figures',
      },
    },
  }),
  CountersignApproval: post(countersignApproval, {
    type: 'CountersignApproval',
    roles: ['reviewer'],
    stream: BY_CLAIM,
    path: 'claims/:id/countersignatures',
    status: 200,
    summary: 'Confirm or overturn an approval waiting for a second reviewer (not the approver)',
    fields: {
      outcome: {
        kind: 'choice',
        values: ['confirm', 'reject'],
        doc: 'the second reviewer confirms or overturns the approval',
      },
      reasons: { kind: 'reasons', min: 0, doc: "the countersigner's reasons" },
    },
  }),
  RecordDisbursement: post(recordDisbursement, {
    type: 'RecordDisbursement',
    roles: ['finance'],
    stream: BY_CLAIM,
    path: 'claims/:id/disbursements',
    status: 201,
    summary: 'Record a payment of a funder share (not by the approver or countersigner)',
    fields: {
      funder: { kind: 'funder' },
      amount: { kind: 'money', doc: "amount paid (never above the funder's unpaid share)" },
      paymentRef: { kind: 'reference', doc: 'payment reference, unique across the ledger' },
      paidAt: { kind: 'dateOrDateTime', doc: 'when it was paid' },
      channel: {
        kind: 'choice',
        values: RECORDED_PAYMENT_CHANNELS,
        optional: true,
        doc: 'how it was paid (DisbursementRecorded v2); bank-transfer when left out',
      },
    },
  }),
  RevokeClaim: post(revokeClaim, {
    type: 'RevokeClaim',
    roles: ['reviewer'],
    stream: BY_CLAIM,
    path: 'claims/:id/revocations',
    status: 200,
    summary:
      'Revoke an approved grant: room comes back, unpaid shares cancelled, paid shares receivable',
    fields: { reasons: { kind: 'reasons', min: 1, doc: 'why the grant is revoked' } },
  }),
  RecordRecovery: post(recordRecovery, {
    type: 'RecordRecovery',
    roles: ['finance'],
    stream: BY_CLAIM,
    path: 'claims/:id/recoveries',
    status: 201,
    summary: 'Record money recovered after a revocation',
    fields: {
      funder: { kind: 'funder' },
      amount: { kind: 'money', doc: 'amount recovered (never above the receivable)' },
      recoveryRef: { kind: 'reference', doc: 'recovery reference, unique across the ledger' },
      recoveredAt: { kind: 'dateOrDateTime', doc: 'when it was recovered' },
    },
  }),
};

export const ALLOCATION_COMMANDS: Registry<AllocationCommand, AllocationState, AllocationEvent> = {
  DecideAllocationPlan: post(decideAllocationPlan, {
    type: 'DecideAllocationPlan',
    roles: ['finance'],
    stream: BY_PLAN,
    path: 'allocation-plans',
    status: 201,
    summary: 'Decide an allocation plan by factor method (clause 九)',
    fields: {
      planId: { kind: 'planId', example: 'park-2024' },
      pool: { kind: 'money', doc: 'the pool to allocate' },
      scores: {
        kind: 'list',
        itemName: 'DistrictScore',
        item: {
          district: { kind: 'district', doc: 'the district' },
          score: { kind: 'decimal', doc: 'non-negative decimal factor score' },
        },
        min: 1,
        max: MAX_SCORES,
      },
      decidedAt: { kind: 'dateOrDateTime', doc: 'when the plan was decided' },
    },
  }),
  RecordAllocationDisbursement: post(recordAllocationDisbursement, {
    type: 'RecordAllocationDisbursement',
    roles: ['finance'],
    stream: BY_PLAN,
    path: 'allocation-plans/:id/disbursements',
    status: 201,
    summary: 'Record a payment of a district allocation',
    fields: {
      district: { kind: 'district', doc: 'the district paid' },
      amount: { kind: 'money', doc: 'amount paid (never above its allocation)' },
      paymentRef: { kind: 'reference', doc: 'payment reference, unique across the ledger' },
      paidAt: { kind: 'dateOrDateTime', doc: 'when it was paid' },
    },
  }),
};

const REGISTRY: Readonly<Record<string, CommandDefinition>> = {
  ...APPLICANT_COMMANDS,
  ...ALLOCATION_COMMANDS,
};

/** Every registered command, by type name (the order of routes, OpenAPI paths and `ledger commands`). */
export const COMMAND_DEFINITIONS: readonly CommandDefinition[] = Object.values(REGISTRY).sort(
  (a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
);

export const COMMAND_TYPES: readonly LedgerCommandType[] = COMMAND_DEFINITIONS.map(
  (definition) => definition.type,
);

function own<T>(table: Readonly<Record<string, T>>, type: unknown): T | undefined {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(table, type)
    ? table[type]
    : undefined;
}

/** The entry of a command type, or undefined for a type nobody registered. */
export function commandDefinition(type: unknown): CommandDefinition | undefined {
  return own(REGISTRY, type);
}

export function applicantCommandDefinition(type: unknown): ApplicantCommandDefinition | undefined {
  return own<ApplicantCommandDefinition>(APPLICANT_COMMANDS, type);
}

export function allocationCommandDefinition(
  type: unknown,
): AllocationCommandDefinition | undefined {
  return own<AllocationCommandDefinition>(ALLOCATION_COMMANDS, type);
}

/** Who may send a command type; empty for an unknown type. */
export function rolesOf(type: LedgerCommandType): readonly Role[] {
  return commandDefinition(type)?.roles ?? [];
}

function field(command: { readonly data: unknown }, name: string): unknown {
  const { data } = command;
  return typeof data === 'object' && data !== null
    ? (data as Record<string, unknown>)[name]
    : undefined;
}

/**
 * The USCC whose applicant-{uscc} stream an applicant command addresses (claim ids carry it), without
 * checking it; null when the command names none. The decider's ownership check uses it.
 */
export function applicantOfCommand(command: ApplicantCommand): string | null {
  const definition = applicantCommandDefinition(command.type);
  const by = definition?.stream.by ?? 'claimId';
  const value = field(command, by);
  if (by === 'claimId')
    return typeof value === 'string' ? (applicantOfClaimId(value) ?? null) : null;
  return typeof value === 'string' ? value : null;
}

export type CommandTarget =
  | {
      readonly kind: 'applicant';
      readonly streamId: string;
      readonly uscc: string;
      readonly command: ApplicantCommand;
    }
  | {
      readonly kind: 'allocation';
      readonly streamId: string;
      readonly planId: string;
      readonly command: AllocationCommand;
    };

/** Plan ids become stream names; the same bounded alphabet as payment references. */
const PLAN_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/**
 * Which stream a command is decided on: claim ids and USCCs route without a lookup (docs/architecture.md
 * §2). Refuses an unknown type, a malformed USCC or plan id, and a claim id that names no applicant.
 */
export function targetOf(command: LedgerCommand): CommandTarget {
  const definition = commandDefinition(command.type);
  if (definition === undefined)
    throw new DomainError('COMMAND.UNKNOWN_TYPE', `unknown command ${String(command.type)}`);
  const { stream } = definition;
  const value = field(command, stream.by);
  if (stream.kind === 'allocation') {
    if (typeof value !== 'string' || !PLAN_ID_SHAPE.test(value)) {
      throw new DomainError(
        'COMMAND.INVALID',
        'planId must be 1..128 characters of A-Z a-z 0-9 . _ : / -',
        { field: 'planId' },
      );
    }
    return {
      kind: 'allocation',
      streamId: allocationStreamId(value),
      planId: value,
      command: command as AllocationCommand,
    };
  }
  let uscc: string | undefined;
  if (stream.by === 'claimId') {
    uscc = typeof value === 'string' ? applicantOfClaimId(value) : undefined;
    if (uscc === undefined)
      throw new DomainError('CLAIM.NOT_FOUND', `claim ${String(value)} does not exist`, {
        claimId: String(value),
      });
  } else {
    if (!isValidUscc(value))
      throw new DomainError(
        'USCC.INVALID',
        'not a valid unified social credit code (GB 32100-2015)',
        { uscc: String(value) },
      );
    uscc = value;
  }
  return {
    kind: 'applicant',
    streamId: applicantStreamId(uscc),
    uscc,
    command: command as ApplicantCommand,
  };
}
