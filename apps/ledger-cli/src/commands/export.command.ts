/** `ledger export`: the finance bureau's workbook (汇总, 按月, 申报, 决定, 拨付, 追回) as of a time. */
import { createWriteStream, mkdirSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import {
  exportLedger,
  ledgerEnvFrom,
  readCheckpointFiles,
  writeWorkbookCsv,
  writeWorkbookXlsx,
  type ExportWorkbook,
} from '@hz/audit';
import { EXIT_OK, requiredString, timeOption, UsageError, type CommandSpec } from '../cli-frame';
import { progressReporter } from '../progress';
import { withLedger } from './with-ledger';

export const exportCommand: CommandSpec = {
  name: 'export',
  summary:
    'the finance workbook: per funder, per month, claims, decisions, disbursements, recoveries (xlsx or csv)',
  help: `Usage: ledger export --format xlsx|csv --out <file-or-dir> [--as-of <time>] [--by-funder] [--json] [--progress]

Rebuilds the read models as the ledger knew them at --as-of (ledger time; default now) and writes, for
the finance bureau: 汇总 (per funder: committed, disbursed, cancelled, outstanding, receivable,
recovered), 按月 (funder × month), 申报 (claims), 决定 (decisions), 拨付 (disbursements), 追回
(recoveries), and with --by-funder one sheet per funder (the claims it shares in).
  xlsx: one workbook; one Chinese header row, frozen, with a filter; amounts are number cells
        (#,##0.00, exact to the fen), times are date cells in Beijing time; under each sheet a
        SUBTOTAL(109,…) totals row that follows the filter; landscape, fit to page width; a 说明 sheet
        and the document properties give the as-of time, the log position and the seal (when a
        checkpoint in <dataDir>/checkpoints covers the export, it is checked against the log).
  csv:  --out is a directory; one UTF-8 (with BOM) CSV per sheet (summary.csv, monthly.csv, claims.csv,
        decisions.csv, disbursements.csv, recoveries.csv, funder-<code>.csv); no totals rows.
Free text is sanitised and never becomes a formula (a cell starting with = + - @ is text).

Options:
  --as-of <time>     ISO-8601; a bare date means the end of that day in Hangzhou (UTC+8); default now
  --format <f>       xlsx or csv
  --out <path>       output file (xlsx) or directory (csv)
  --by-funder        one more sheet per funder
  --json             print what was written as JSON on stdout
  --progress         show a progress bar on stderr even when it is not a terminal`,
  options: {
    'as-of': { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'by-funder': { type: 'boolean' },
    json: { type: 'boolean' },
    progress: { type: 'boolean' },
  },
  async run(values, io) {
    const now = new Date();
    const asOf = timeOption(values, 'as-of') ?? now;
    const format = requiredString(values, 'format');
    if (format !== 'xlsx' && format !== 'csv')
      throw new UsageError(`--format must be xlsx or csv, got "${format}"`);
    const out = requiredString(values, 'out');
    const checkpoints = readCheckpointFiles(
      join(ledgerEnvFrom(io.env, io.cwd).dataDir, 'checkpoints'),
    );
    const progress = progressReporter(io, 'export', values['progress'] === true);
    // The rows are spilled to a scratch file and written as they are read back (issue 13): the workbook
    // is written inside exportLedger, which deletes the file after.
    const { workbook, files } = await withLedger(io, { create: false }, (context) =>
      exportLedger(
        context.eventStore,
        {
          asOf,
          now,
          byFunder: values['by-funder'] === true,
          checkpoints,
          onProgress: (step) => progress.update(step.position, step.untilPosition, step.eventCount),
        },
        async (workbook) => {
          progress.finish();
          if (format === 'csv') return { workbook, files: writeWorkbookCsv(workbook, out) };
          mkdirSync(dirname(out), { recursive: true });
          await writeXlsxFile(workbook, out);
          return { workbook, files: [out] };
        },
      ),
    );
    io.stdout.write(
      values['json'] === true
        ? `${JSON.stringify(exportReport(workbook, format, files), null, 2)}\n`
        : textReport(workbook, files),
    );
    return EXIT_OK;
  },
};

function exportReport(workbook: ExportWorkbook, format: string, files: readonly string[]): object {
  return {
    asOf: workbook.asOf,
    generatedAt: workbook.generatedAt,
    logPosition: workbook.headPosition,
    eventCount: workbook.eventCount,
    format,
    files,
    seal: workbook.seal,
    sheets: workbook.sheets.map((sheet) => ({
      id: sheet.id,
      title: sheet.title,
      rows: sheet.rows.length,
      totals: sheet.totals,
    })),
  };
}

function textReport(workbook: ExportWorkbook, files: readonly string[]): string {
  const lines = files.map((file) => `wrote ${file}`);
  lines.push(
    `as of ${workbook.asOf}, log position ${workbook.headPosition} (${workbook.eventCount} events)`,
  );
  lines.push(
    `sheets: ${workbook.sheets.map((sheet) => `${sheet.title} ${sheet.rows.length}`).join(', ')}`,
  );
  const seal = workbook.seal;
  lines.push(
    seal === null
      ? 'seal: none covers this export'
      : `seal: root ${seal.merkleRoot} at position ${seal.position}, ${seal.verified ? 'verified against the log' : `NOT verified (${seal.problems.join('; ')})`}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Streams the workbook to the file and waits until it is flushed, so exit 0 means the file is complete. */
async function writeXlsxFile(workbook: ExportWorkbook, path: string): Promise<void> {
  const file = createWriteStream(path);
  await writeWorkbookXlsx(workbook, file);
  await finished(file);
}
