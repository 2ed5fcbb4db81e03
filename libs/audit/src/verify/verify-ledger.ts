/**
 * `verify`: every check of issue 7 over the whole history, in one pass in position order (issue 13) that
 * feeds the hash-chain scan (./chain-scan.ts: a stream that is not an intact chain is re-read and given to
 * the event store's own verifier), the invariant fold, the checkpoint's Merkle accumulator and the fresh
 * read-model replay. The log is read once, never held whole; the event hash is computed once per event.
 */
import type { KeyObject } from 'node:crypto';
import {
  computeEventHash,
  type ChainProblem,
  type EventStore,
  type RecordedEvent,
} from '@hz/event-store';
import type { DecisionOracle } from '../invariants/decision-oracle';
import { ALL_CHECKS, FindingSink, type CheckName, type Finding } from '../invariants/findings';
import { InvariantChecker } from '../invariants/invariant-checker';
import { scanLog, type ScanProgress } from '../log/scan-log';
import type { Checkpoint } from '../seal/checkpoint';
import { CheckpointCheck } from '../seal/seal-log';
import { ChainScan } from './chain-scan';

/** Something else that rides the verify pass: the read-model comparison (projections) plugs in here. */
export interface LogAudit {
  readonly name: string;
  visit(event: RecordedEvent): void;
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
  /** Aborts between pages (docs/architecture.md: long jobs, issue 13): rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
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
  const sink = new FindingSink(options.findingsMax ?? 1000);
  const headPosition = await store.headPosition();
  // Chain findings come first in the report (as when chains were checked before the pass): the pass's
  // own findings wait in a sink of their own and are added after them.
  const passSink = new FindingSink(options.findingsMax ?? 1000);
  const chains = new ChainScan();
  const checker = new InvariantChecker(passSink, options.oracle);
  const checkpointCheck = options.checkpoint
    ? new CheckpointCheck(options.checkpoint, options.trustedPublicKey)
    : undefined;
  const audits = options.extraAudits ?? [];
  const scan = await scanLog(
    store,
    (event) => {
      const hash = computeEventHash(event);
      chains.visit(event, hash);
      checker.apply(event);
      checkpointCheck?.visit(event, hash);
      for (const audit of audits) audit.visit(event);
    },
    { untilPosition: headPosition, onProgress: options.onProgress, signal: options.signal },
  );
  for (const problem of await chains.problems(store)) sink.add(chainFinding(problem));
  sink.absorb(passSink);
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
