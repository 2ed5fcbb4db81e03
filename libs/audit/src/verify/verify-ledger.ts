/**
 * `verify`: every check of issue 7 over the whole history, reading the log through the event store's
 * streaming read (issue 13, docs/benchmarks.md "Auditor replay"), in memory that does not grow with it.
 *
 * On a store with a streaming read (SQLite, PostgreSQL) the log is read stream by stream: every
 * applicant's events are in its own stream (docs/architecture.md §2), so the invariant fold releases an
 * applicant's state at its stream's end (InvariantChecker.releaseStream), the chain check keeps only the
 * previous event (./stream-chain-check.ts), references are fingerprinted and only suspects are judged
 * exactly, and findings are put back in log order (PositionOrderedSink): the report is the one a pass in
 * position order gives. With a checkpoint, a second pass in position order feeds its Merkle accumulator.
 * What stays in memory: one stream's state, the applicants' ids, ~16 bytes per reference, the allocation
 * plans, at most 2 × findingsMax findings. Events are parsed only when a check reads them, and every hash is
 * recomputed from the stored texts (../log/raw-events.ts).
 *
 * Elsewhere (EventStoreDB, or an extra audit that asks for position order) the one pass is in position
 * order and the fold keeps every applicant (./chain-scan.ts for the chains): memory grows with the log.
 */
import type { KeyObject } from 'node:crypto';
import {
  hasRawReads,
  type ChainProblem,
  type EventStore,
  type RawEventRow,
  type RecordedEvent,
} from '@hz/event-store';
import { ledgerEventOf } from '@hz/ledger';
import type { DecisionOracle } from '../invariants/decision-oracle';
import {
  ALL_CHECKS,
  FindingSink,
  findingAt,
  type CheckName,
  type Finding,
} from '../invariants/findings';
import { InvariantChecker, referenceUseOf } from '../invariants/invariant-checker';
import { PeriodCloseAudit } from '../invariants/period-close-audit';
import { ReferenceAudit, referenceKey } from '../invariants/reference-audit';
import { eventOfRow, rowHashes } from '../log/raw-events';
import { scanRows, type ScanProgress, type ScanResult } from '../log/scan-log';
import type { Checkpoint } from '../seal/checkpoint';
import { CheckpointCheck } from '../seal/seal-log';
import { isPolicyDecisionOracle } from '../invariants/policy-oracle';
import { ChainScan } from './chain-scan';
import { parallelStreamPass, sharedEventFile } from './parallel-verify';
import { StreamFold } from './stream-fold';
import { checkVerifyWorkers } from './verify-partition';

/** Something else that rides the verify pass: the read-model comparison (projections) plugs in here. */
export interface LogAudit {
  readonly name: string;
  /**
   * Every event of the pass, when the audit reads them: stream by stream (each in revision order) on a
   * store with a streaming read, unless the audit asks for `order: 'position'` (then the whole verify runs
   * in position order, in memory that grows with the log).
   */
  visit?(event: RecordedEvent): void;
  readonly order?: 'position';
  findings(): Promise<Finding[]>;
}

export interface VerifyLedgerOptions {
  readonly oracle?: DecisionOracle;
  readonly checkpoint?: Checkpoint;
  readonly trustedPublicKey?: KeyObject;
  readonly extraAudits?: readonly LogAudit[];
  readonly onProgress?: (progress: ScanProgress) => void;
  /** How many findings the report lists (all are counted). */
  readonly findingsMax?: number;
  readonly clock?: () => Date;
  /** Aborts between batches (docs/architecture.md: long jobs, issue 13): rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** `position` forces the one pass in position order (memory grows with the log); default `stream`. */
  readonly order?: 'stream' | 'position';
  /**
   * Threads of the stream-by-stream pass (./parallel-verify.ts), 1..16; default 1 (this thread). More
   * than 1 runs on worker threads where it can: a SQLite event store file, the policy oracle (or none),
   * no extra audit that visits events; elsewhere the pass runs on this thread. The report is the same.
   */
  readonly workers?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly verifiedAt: string;
  readonly headPosition: string;
  readonly eventCount: number;
  readonly durationMs: number;
  readonly checks: Readonly<
    Record<CheckName, { readonly ran: boolean; readonly violations: number }>
  >;
  readonly findingsTotal: number;
  readonly findings: readonly Finding[];
  readonly checkpoint: {
    readonly position: string;
    readonly eventCount: number;
    readonly keyId: string;
    readonly sealedAt: string;
  } | null;
  readonly audits: readonly string[];
}

export async function verifyLedger(
  store: EventStore,
  options: VerifyLedgerOptions = {},
): Promise<VerifyReport> {
  const clock = options.clock ?? (() => new Date());
  const started = clock();
  const findingsMax = options.findingsMax ?? 1000;
  const sink = new FindingSink(findingsMax);
  const headPosition = await store.headPosition();
  const checkpointCheck = options.checkpoint
    ? new CheckpointCheck(options.checkpoint, options.trustedPublicKey)
    : undefined;
  const audits = options.extraAudits ?? [];
  // Movements in closed periods (issue 18): the closes are read first; null when none is closed.
  const periodAudit = await PeriodCloseAudit.load(store, headPosition, findingsMax);
  const pass: PassOptions = {
    store,
    headPosition,
    oracle: options.oracle,
    checkpointCheck,
    periodAudit,
    visiting: audits.filter((audit) => audit.visit !== undefined),
    findingsMax,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  const streamOrder =
    options.order !== 'position' &&
    hasRawReads(store) &&
    !audits.some((audit) => audit.order === 'position');
  const workers = checkVerifyWorkers(options.workers ?? 1);
  const eventFile = workers > 1 && streamOrder ? sharedEventFile(store) : undefined;
  const onWorkers =
    eventFile !== undefined &&
    pass.visiting.length === 0 &&
    (options.oracle === undefined || isPolicyDecisionOracle(options.oracle));
  const { scan, passSink, chainProblems } = streamOrder
    ? ((onWorkers ? await parallelStreamPass(pass, eventFile, workers) : undefined) ??
      (await streamPass(pass)))
    : await positionPass(pass);
  // Chain findings come first in the report, then the pass's own, then the checkpoint's and the audits'.
  for (const problem of chainProblems) sink.add(chainFinding(problem));
  sink.absorb(passSink);
  if (periodAudit !== null) sink.absorb(periodAudit.sink);
  for (const finding of checkpointCheck?.findings() ?? []) sink.add(finding);
  for (const audit of audits) for (const finding of await audit.findings()) sink.add(finding);
  const counts = sink.counts();
  const ran = (check: CheckName): boolean =>
    check === 'checkpoint'
      ? checkpointCheck !== undefined
      : check === 'decision-recompute'
        ? options.oracle !== undefined
        : check === 'projection-rebuild'
          ? audits.some((audit) => audit.name === 'projection-rebuild')
          : true;
  const checks = Object.fromEntries(
    ALL_CHECKS.map((check) => [check, { ran: ran(check), violations: counts[check] }]),
  ) as VerifyReport['checks'];
  return {
    ok: sink.total === 0,
    verifiedAt: started.toISOString(),
    headPosition: scan.untilPosition.toString(),
    eventCount: scan.eventCount,
    durationMs: clock().getTime() - started.getTime(),
    checks,
    findingsTotal: sink.total,
    findings: sink.findings,
    checkpoint: options.checkpoint
      ? {
          position: options.checkpoint.position,
          eventCount: options.checkpoint.eventCount,
          keyId: options.checkpoint.keyId,
          sealedAt: options.checkpoint.sealedAt,
        }
      : null,
    audits: audits.map((audit) => audit.name),
  };
}

export interface PassOptions {
  readonly store: EventStore;
  readonly headPosition: bigint;
  readonly oracle: DecisionOracle | undefined;
  readonly checkpointCheck: CheckpointCheck | undefined;
  readonly periodAudit: PeriodCloseAudit | null;
  readonly visiting: readonly LogAudit[];
  readonly findingsMax: number;
  readonly onProgress: ((progress: ScanProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

export interface PassResult {
  readonly scan: ScanResult;
  readonly passSink: FindingSink;
  readonly chainProblems: readonly ChainProblem[];
}

/** Stream by stream, state released at each stream's end; the checkpoint gets a pass of its own. */
async function streamPass(pass: PassOptions): Promise<PassResult> {
  const fold = new StreamFold(pass.findingsMax, pass.oracle, pass.periodAudit, pass.visiting);
  const passes = pass.checkpointCheck === undefined ? 1 : 2;
  const scan = await scanRows(pass.store, (row) => fold.visit(row), {
    order: 'stream',
    untilPosition: pass.headPosition,
    onProgress: pass.onProgress,
    signal: pass.signal,
    passes: { doneBefore: 0, after: passes - 1 },
  });
  fold.finish();
  await checkpointPass(pass, scan);
  const suspects = fold.references.suspects;
  if (suspects.size > 0)
    for (const finding of await judgeReferences(pass, scan.untilPosition, (key) =>
      suspects.has(key),
    ))
      fold.sink.add(finding, 0);
  return { scan, passSink: fold.sink, chainProblems: await fold.chains.problems(pass.store) };
}

/** The checkpoint's own pass, in position order (its Merkle accumulator needs the log's order). */
export async function checkpointPass(pass: PassOptions, scan: ScanResult): Promise<void> {
  const checkpointCheck = pass.checkpointCheck;
  if (checkpointCheck !== undefined)
    await scanRows(pass.store, (row) => checkpointCheck.visit(row, rowHashes(row).hash), {
      untilPosition: scan.untilPosition,
      onProgress: pass.onProgress,
      signal: pass.signal,
      passes: { doneBefore: scan.eventCount, after: 0 },
    });
}

/**
 * The references whose fingerprint was seen twice, judged exactly: their uses in position order through
 * ReferenceAudit, as the position-order pass judges them (the same findings, "first" meaning first in the
 * log). An event the fold found malformed reports that instead, as there.
 */
export async function judgeReferences(
  pass: PassOptions,
  untilPosition: bigint,
  suspect: (key: string) => boolean,
): Promise<Finding[]> {
  const exact = new ReferenceAudit();
  const findings: Finding[] = [];
  await scanRows(
    pass.store,
    (row: RawEventRow) => {
      if (!REFERENCE_USING_TYPES.has(row.type)) return;
      const event = ledgerEventOf(eventOfRow(row));
      const use = event === undefined ? undefined : referenceUseOf(event);
      if (use === undefined || !suspect(referenceKey(use.kind, use.reference))) return;
      for (const draft of exact.use(use.kind, use.reference, use.subject))
        findings.push(findingAt(row, draft));
    },
    { untilPosition, signal: pass.signal },
  );
  return findings;
}

const REFERENCE_USING_TYPES: ReadonlySet<string> = new Set([
  'DisbursementRecorded',
  'RecoveryRecorded',
  'AllocationDisbursementRecorded',
]);

/** One pass in position order: every applicant kept to the end (stores without a streaming read). */
async function positionPass(pass: PassOptions): Promise<PassResult> {
  const passSink = new FindingSink(pass.findingsMax);
  const checker = new InvariantChecker(passSink, pass.oracle);
  const chains = new ChainScan();
  const scan = await scanRows(
    pass.store,
    (row) => {
      const hashes = rowHashes(row);
      const event = hashes.event ?? eventOfRow(row);
      chains.visit(event, hashes.hash);
      checker.apply(event);
      pass.periodAudit?.visit(event);
      pass.checkpointCheck?.visit(event, hashes.hash);
      for (const audit of pass.visiting) audit.visit?.(event);
    },
    { untilPosition: pass.headPosition, onProgress: pass.onProgress, signal: pass.signal },
  );
  return { scan, passSink, chainProblems: await chains.problems(pass.store) };
}

function chainFinding(problem: ChainProblem): Finding {
  return {
    check: 'hash-chain',
    code: `CHAIN.${problem.kind.toUpperCase()}`,
    message: problem.detail,
    position: problem.position.toString(),
    streamId: problem.streamId,
    revision: problem.revision.toString(),
  };
}
