/** The human-readable form of a VerifyReport: one line per check, then the findings, grouped by check. */
import { ALL_CHECKS, type Finding } from '../invariants/findings';
import type { VerifyReport } from './verify-ledger';

const CHECK_TITLES: Readonly<Record<(typeof ALL_CHECKS)[number], string>> = {
  'hash-chain': 'hash chain of every stream (inv. 7)',
  checkpoint: 'log extends the sealed checkpoint',
  'annual-cap': 'caps never exceeded at any moment (inv. 1)',
  'one-time-scope': 'one grant per one-time / per-subject scope (inv. 1)',
  'split-sum': 'city + district shares = amount; allocations = pool (inv. 3)',
  'paid-within-share': 'paid ≤ share per claim and funder (inv. 4)',
  'recovery-within-receivable': 'recoveries ≤ receivables (inv. 4)',
  'unique-reference': 'payment and recovery references unique (inv. 4)',
  lifecycle: 'lifecycle and separation of duties',
  'decision-recompute': 'decisions recomputed under their catalog (inv. 2)',
  'projection-rebuild': 'live read models = fresh replay (inv. 6)',
  'period-close': 'no movement dated in a closed period after its close, unless an adjustment',
};

export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [];
  lines.push(
    `Ledger verification at ${report.verifiedAt}: ${report.eventCount} events up to position ${report.headPosition} (${report.durationMs} ms)`,
  );
  if (report.checkpoint) {
    lines.push(
      `Checkpoint: ${report.checkpoint.eventCount} events up to position ${report.checkpoint.position}, key ${report.checkpoint.keyId}, sealed ${report.checkpoint.sealedAt}`,
    );
  }
  lines.push('');
  for (const check of ALL_CHECKS) {
    const state = report.checks[check];
    const mark = !state.ran ? 'SKIP' : state.violations === 0 ? ' OK ' : 'FAIL';
    const count = state.ran && state.violations > 0 ? `  ${state.violations} violation(s)` : '';
    lines.push(`[${mark}] ${CHECK_TITLES[check]}${count}`);
  }
  if (report.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const finding of report.findings) lines.push(`  ${formatFinding(finding)}`);
    if (report.findingsTotal > report.findings.length)
      lines.push(`  … and ${report.findingsTotal - report.findings.length} more (see --json)`);
  }
  lines.push(
    '',
    report.ok
      ? 'RESULT: OK, no violation found.'
      : `RESULT: ${report.findingsTotal} violation(s) found.`,
    '',
  );
  return lines.join('\n');
}

export function formatFinding(finding: Finding): string {
  const where = [
    finding.position === undefined ? undefined : `@${finding.position}`,
    finding.streamId === undefined ? undefined : `${finding.streamId}#${finding.revision ?? '?'}`,
    finding.claimId === undefined ? undefined : `claim ${finding.claimId}`,
  ].filter((part) => part !== undefined);
  return `${finding.check} ${finding.code} ${where.join(' ')}: ${finding.message}`;
}
