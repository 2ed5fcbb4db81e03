/**
 * `ledger close`, `ledger adjust` and `ledger verify-pack` (issue 18 part 4; docs/operations.md "Period
 * close"): close a fiscal year's books and write its signed audit pack, record a movement dated inside a
 * closed period as a post-close adjustment, and check a pack against the ledger (exit 0 / 1).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAuditPack,
  ledgerEnvFrom,
  loadOrCreateSealKey,
  verifyAuditPack,
  type AuditPack,
} from '@hz/audit';
import {
  closePeriod,
  PERIOD_CLOSE_ROLE,
  POST_CLOSE_ADJUSTMENT_ROLE,
  recordPostCloseAdjustment,
  type PeriodCaller,
} from '@hz/application';
import { DomainError, type Role } from '@hz/ledger';
import {
  EXIT_OK,
  EXIT_VIOLATION,
  requiredString,
  stringOption,
  UsageError,
  type CliIo,
  type CommandSpec,
  type OptionValues,
} from '../cli-frame';
import { withLedger } from './with-ledger';

/** Closing acts as admin, adjusting as adjuster: the CLI runs on the ledger's host, as its operator. */
function callerOf(values: OptionValues, role: Role): PeriodCaller {
  return {
    actor: stringOption(values, 'as') ?? 'cli',
    role,
    idempotencyKey: stringOption(values, 'key') ?? randomUUID(),
    now: new Date().toISOString(),
  };
}

function refused(io: CliIo, error: unknown): number {
  if (!(error instanceof DomainError)) throw error;
  const { code, message, details } = error;
  io.stderr.write(`${JSON.stringify({ error: { code, message, details } })}\n`);
  return EXIT_VIOLATION;
}

/** Writes the pack's files into `directory` (created if needed). */
export function writeAuditPack(pack: AuditPack, directory: string): void {
  mkdirSync(directory, { recursive: true });
  for (const [name, bytes] of pack.files) writeFileSync(join(directory, name), bytes);
}

export const closeCommand: CommandSpec = {
  name: 'close',
  summary: 'close a fiscal year for the funders (PeriodClosed) and write its signed audit pack',
  help: `Usage: ledger close --period <YYYY> [--funder city|district] [--reason <text>] [--out <dir>] [--key <pem>] [--as <sub>] [--idempotency-key <key>]

Records PeriodClosed on the period-<YYYY> stream (both funders unless --funder names one): afterwards a
payment, recovery or allocation payment dated inside the year is refused (PERIOD.CLOSED) unless recorded
with "ledger adjust". Then writes the audit pack: events.jsonl, adjustments.jsonl, ledger.xlsx,
obligations.json, checkpoint.json (signed Merkle root) and manifest.json (SHA-256 of every file). The same
ledger always gives the same bytes; "ledger verify-pack --pack <dir>" checks a pack. A period already closed
for those funders only gets its pack written again.

Options:
  --period <YYYY>   the fiscal year
  --funder <f>      city or district (default both)
  --reason <text>   recorded on the close (default "period close")
  --out <dir>       the pack's directory (default <dataDir>/packs/<YYYY>)
  --key <file>      Ed25519 private key (PKCS#8 PEM); default <dataDir>/audit-seal-ed25519.pem
  --as <sub>        the actor recorded (default cli); the role is admin`,
  options: Object.fromEntries(
    ['period', 'funder', 'reason', 'out', 'key', 'as', 'idempotency-key'].map((name) => [
      name,
      { type: 'string' },
    ]),
  ),
  async run(values, io) {
    const period = requiredString(values, 'period');
    const funder = stringOption(values, 'funder');
    const ledgerEnv = ledgerEnvFrom(io.env, io.cwd);
    const key = loadOrCreateSealKey(ledgerEnv.dataDir, stringOption(values, 'key'));
    const caller = {
      ...callerOf(values, PERIOD_CLOSE_ROLE),
      idempotencyKey: stringOption(values, 'idempotency-key') ?? randomUUID(),
    };
    return withLedger(io, { create: false }, async ({ eventStore }) => {
      try {
        const closed = await closePeriod(
          eventStore,
          {
            period,
            ...(funder === undefined ? {} : { funders: [funder] }),
            reasons: [stringOption(values, 'reason') ?? 'period close'],
          },
          caller,
        );
        io.stdout.write(
          `closed ${period} for ${closed.event.data.funders.join(', ')} at position ${closed.position}\n`,
        );
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'PERIOD.ALREADY_CLOSED')
          return refused(io, error);
        io.stdout.write(`${period} was already closed; writing its pack again\n`);
      }
      const pack = await buildAuditPack(eventStore, { period, privateKey: key.privateKey });
      const out = stringOption(values, 'out') ?? join(ledgerEnv.dataDir, 'packs', period);
      writeAuditPack(pack, out);
      io.stdout.write(
        `audit pack of ${period} up to position ${pack.manifest.untilPosition} written to ${out}\n`,
      );
      return EXIT_OK;
    });
  },
};

export const adjustCommand: CommandSpec = {
  name: 'adjust',
  summary: 'record a movement dated inside a closed period as a post-close adjustment',
  help: `Usage: ledger adjust --data '<json>' [--as <sub>] [--key <key>]

Records PostCloseAdjustmentRecorded on the period's stream as role adjuster (never admin or finance),
only once the period is closed for that funder (PERIOD.NOT_CLOSED otherwise), for a claim or plan the
ledger holds (PERIOD.SUBJECT_NOT_FOUND), and never by an identity (--as, default cli) that submitted,
decided, paid, revoked or recovered it (SOD.ADJUSTER_INVOLVED) or submitted for its applicant
(SOD.CLAIM_APPLICANT). The key (--key) names the event: the same key again answers the first.

Data: {"funder":"city"|"district","kind":"disbursement"|"recovery","subjectId":"<claim or plan>",
"amount":"1.00","reference":"ADJ-1","datedOn":"2024-12-31","reasons":["…"]}.

Adjustments are reported apart (the workbook's 期后调整 sheet, the audit pack's adjustments.jsonl,
GET /api/v1/periods/<YYYY>/adjustments); the claim's figures do not fold them in.`,
  options: Object.fromEntries(['data', 'as', 'key'].map((name) => [name, { type: 'string' }])),
  async run(values, io) {
    let data: unknown;
    try {
      data = JSON.parse(requiredString(values, 'data'));
    } catch (error) {
      throw new UsageError(`--data is not JSON: ${(error as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new UsageError('--data must be a JSON object');
    return withLedger(io, { create: false }, async ({ eventStore }) => {
      try {
        const recorded = await recordPostCloseAdjustment(
          eventStore,
          data as Record<string, unknown>,
          callerOf(values, POST_CLOSE_ADJUSTMENT_ROLE),
        );
        io.stdout.write(
          `${JSON.stringify({ position: recorded.position.toString(), replayed: recorded.replayed, event: recorded.event })}\n`,
        );
        return EXIT_OK;
      } catch (error) {
        return refused(io, error);
      }
    });
  },
};

export const verifyPackCommand: CommandSpec = {
  name: 'verify-pack',
  summary: 'check an audit pack against its manifest and the ledger (exit 0 ok, 1 problems)',
  help: `Usage: ledger verify-pack --pack <dir>

Checks every file of the pack against the SHA-256 and size in its manifest, the checkpoint's signature and
Merkle root against the ledger, and every other file against the same file rebuilt from the ledger.
Prints each problem; exit 0 when there is none, 1 otherwise.`,
  options: { pack: { type: 'string' } },
  async run(values, io) {
    const directory = requiredString(values, 'pack');
    if (!existsSync(join(directory, 'manifest.json')))
      throw new UsageError(`${directory} holds no manifest.json`);
    const read = (name: string) => {
      const path = join(directory, name);
      return /^[A-Za-z0-9._-]+$/.test(name) && existsSync(path) ? readFileSync(path) : undefined;
    };
    const problems = await withLedger(io, { create: false }, ({ eventStore }) =>
      verifyAuditPack(eventStore, read),
    );
    for (const problem of problems)
      io.stdout.write(`${problem.code} ${problem.file}: ${problem.message}\n`);
    io.stdout.write(problems.length === 0 ? 'pack verified\n' : `${problems.length} problem(s)\n`);
    return problems.length === 0 ? EXIT_OK : EXIT_VIOLATION;
  },
};
