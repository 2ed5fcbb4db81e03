/**
 * The read side's one pure step: given the current rows an event can touch and the event, the new rows of
 * every registered read model (./registry.ts), so a live runner, a rebuild and a test replay cannot
 * disagree. The claim is evolved once here because awards, caps and fiscal read it before and after.
 */
import { claimIdOf, evolveClaimSummary } from './claim-summary';
import type { LedgerRecord } from './ledger-record';
import {
  DEFAULT_CATALOGS,
  type CatalogLookup,
  type ProjectionStep,
  type ReadModelView,
} from './read-model';
import { FISCAL_MODEL, fiscalMovementsOf, type FiscalMovement } from './fiscal';
import { READ_MODELS, type ReadModel, type RowChanges } from './registry';

export type { ReadModelView } from './read-model';
export type { RowChanges } from './registry';

/** `recordedAtMs` is the ledger-time watermark of the event (see ledger-time.ts nextWatermarkMs). */
export function projectEvent(
  view: ReadModelView,
  event: LedgerRecord,
  recordedAtMs: number,
  catalogs: CatalogLookup = DEFAULT_CATALOGS,
): RowChanges {
  return evolveModels(stepOf(view, event, recordedAtMs, catalogs), READ_MODELS);
}

/** What one event gives the per-applicant models, and the fiscal movements its fiscal step folds. */
export interface ApplicantProjection {
  /** The rows of every model but the fiscal totals (its list is empty). */
  readonly changes: RowChanges;
  /** The movements `FISCAL_MODEL` would fold into the buckets (evolveFiscal), in the event's order. */
  readonly movements: readonly FiscalMovement[];
}

const PER_APPLICANT_MODELS = READ_MODELS.filter((model) => model !== FISCAL_MODEL);

/**
 * `projectEvent` split at the fiscal totals, for the parallel rebuild (../rebuild, issue 13): every model
 * but the fiscal buckets reads and writes one applicant's rows only, so it runs in the applicant's
 * partition; the buckets are shared by all applicants, so the movements are folded afterwards in position
 * order with the same `evolveFiscal` (`projectEvent` = this + that fold, docs/architecture.md §5).
 */
export function projectApplicantEvent(
  view: ReadModelView,
  event: LedgerRecord,
  recordedAtMs: number,
  catalogs: CatalogLookup = DEFAULT_CATALOGS,
): ApplicantProjection {
  const step = stepOf(view, event, recordedAtMs, catalogs);
  return {
    changes: evolveModels(step, PER_APPLICANT_MODELS),
    movements: FISCAL_MODEL.canHandle(event) ? fiscalMovementsOf(step) : [],
  };
}

function stepOf(
  view: ReadModelView,
  event: LedgerRecord,
  recordedAtMs: number,
  catalogs: CatalogLookup,
): ProjectionStep {
  const claimId = claimIdOf(event);
  const before = claimId === undefined ? undefined : view.claim(claimId);
  const after = claimId === undefined ? undefined : evolveClaimSummary(before, event);
  return { event, view, claimId, before, after, recordedAtMs, catalogs };
}

/** The rows of a model the event does not touch: one shared, frozen empty list (read, never filled). */
const NO_ROWS: readonly never[] = Object.freeze([]);

/** Every registered model with NO_ROWS, in registry order: what evolveModels copies per event. */
const NO_CHANGES: Readonly<Record<string, readonly unknown[]>> = Object.fromEntries(
  READ_MODELS.map((model) => [model.name, NO_ROWS]),
);

/**
 * Every registered model's rows, in registry order. Per event and per model, so it allocates nothing a
 * model does not fill (issue 13: the rebuild's profile showed a fresh set of empty lists per event).
 */
function evolveModels(step: ProjectionStep, models: readonly ReadModel[]): RowChanges {
  // One copy of a template, not a store per model name into a fresh object (issue 13).
  const changes: Record<string, readonly unknown[]> = { ...NO_CHANGES };
  for (const model of models)
    if (model.canHandle(step.event)) changes[model.name] = model.evolve(step);
  return changes as unknown as RowChanges;
}

/** The applicant whose rows an event touches (claims, caps, awards are kept per applicant), if any. */
export function applicantOf(event: LedgerRecord): string | undefined {
  switch (event.type) {
    case 'ApplicantRegistered':
    case 'ApplicantRelocated':
    case 'IntegrityFlagRaised':
    case 'IntegrityFlagCleared':
      return event.data.uscc;
    case 'ClaimSubmitted':
      return event.data.applicant;
    default:
      return claimIdOf(event) === undefined ? undefined : applicantOfStream(event.streamId);
  }
}

const APPLICANT_STREAM_PREFIX = 'applicant-';

function applicantOfStream(streamId: string): string | undefined {
  return streamId.startsWith(APPLICANT_STREAM_PREFIX)
    ? streamId.slice(APPLICANT_STREAM_PREFIX.length)
    : undefined;
}
