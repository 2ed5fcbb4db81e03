/** `ledger verify`: every check of the audit over the whole history; exit 1 on any violation. */
import { existsSync, readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import {
  formatVerifyReport,
  parseCheckpoint,
  runLedgerVerification,
  VERIFY_WORKERS_MAX,
  type Checkpoint,
} from '@hz/audit';
import {
  EXIT_OK,
  EXIT_VIOLATION,
  integerOption,
  stringOption,
  UsageError,
  type CommandSpec,
} from '../cli-frame';
import { progressReporter } from '../progress';
import { withLedger } from './with-ledger';

export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary:
    'check hash chains, every invariant over the whole history, decisions, read models, a checkpoint',
  help: `Usage: ledger verify [--json] [--checkpoint <file>] [--trust-key <public-key.pem>] [--workers <n>]
                     [--progress]

Checks, over the whole history as it unfolds:
  - every stream's hash chain (edited, dropped, inserted or reordered events)
  - caps never exceeded at any moment; one grant per one-time / per-subject scope
  - city + district shares sum to each approved amount; allocations sum to their pool
  - per claim and funder: paid ≤ share, recoveries ≤ receivable; unique payment/recovery references
  - every decision recomputed under the catalog version it records (policyId + catalogHash)
  - the live read models equal a fresh replay of the log (when a read store exists)
  - with --checkpoint: the first N events still hash to the sealed Merkle root, and the signature verifies

Options:
  --json                print the report as JSON on stdout
  --checkpoint <file>   a checkpoint written by "ledger seal"
  --trust-key <file>    require the checkpoint to be signed by this Ed25519 public key (PEM)
  --workers <n>         threads reading the streams, 1 to 16 (default: the machine's cores); more
                        than 1 on a SQLite ledger file only, the report is the same
  --progress            show a progress bar on stderr even when it is not a terminal

Exit codes: 0 no violation, 1 violation(s) found, 2 usage error, 3 technical failure.`,
  options: {
    json: { type: 'boolean' },
    checkpoint: { type: 'string' },
    'trust-key': { type: 'string' },
    workers: { type: 'string' },
    progress: { type: 'boolean' },
  },
  async run(values, io) {
    const checkpoint = readCheckpointOption(stringOption(values, 'checkpoint'));
    const workers = integerOption(values, 'workers', { min: 1, max: VERIFY_WORKERS_MAX });
    const trustKeyPath = stringOption(values, 'trust-key');
    if (trustKeyPath !== undefined && !existsSync(trustKeyPath))
      throw new UsageError(`--trust-key: file not found: ${trustKeyPath}`);
    const trustedPublicKey =
      trustKeyPath === undefined ? undefined : createPublicKey(readFileSync(trustKeyPath));
    const progress = progressReporter(io, 'verify', values['progress'] === true);
    const report = await withLedger(io, { create: false }, (context) =>
      runLedgerVerification(context, {
        checkpoint,
        trustedPublicKey,
        workers,
        // Events done / total over every pass (a checkpoint adds one in position order, issue 13).
        onProgress: (step) => progress.update(BigInt(step.done), BigInt(step.total), step.done),
      }),
    );
    progress.finish();
    io.stdout.write(
      values['json'] === true ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report),
    );
    return report.ok ? EXIT_OK : EXIT_VIOLATION;
  },
};

function readCheckpointOption(path: string | undefined): Checkpoint | undefined {
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new UsageError(`--checkpoint: file not found: ${path}`);
  try {
    return parseCheckpoint(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--checkpoint ${path}: ${(error as Error).message}`);
  }
}
