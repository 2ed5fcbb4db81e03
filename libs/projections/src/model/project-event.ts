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
import { emptyChanges, READ_MODELS, type RowChanges } from './registry';

export type { ReadModelView } from './read-model';
export type { RowChanges } from './registry';

/** `recordedAtMs` is the ledger-time watermark of the event (see ledger-time.ts nextWatermarkMs). */
export function projectEvent(
  view: ReadModelView,
  event: LedgerRecord,
  recordedAtMs: number,
  catalogs: CatalogLookup = DEFAULT_CATALOGS,
): RowChanges {
  const claimId = claimIdOf(event);
  const before = claimId === undefined ? undefined : view.claim(claimId);
  const after = claimId === undefined ? undefined : evolveClaimSummary(before, event);
  const step: ProjectionStep = { event, view, claimId, before, after, recordedAtMs, catalogs };
  const changes: Record<string, readonly unknown[]> = emptyChanges();
  for (const model of READ_MODELS)
    if (model.canHandle(event)) changes[model.name] = model.evolve(step);
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
