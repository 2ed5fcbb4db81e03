/** `ledger export`: the finance bureau's workbook (claims, decisions, disbursements, obligations) as of a time. */
import { createWriteStream, mkdirSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { dirname } from 'node:path';
import { buildLedgerExport, writeWorkbookCsv, writeWorkbookXlsx, type ExportWorkbook } from '@hz/audit';
import { EXIT_OK, requiredString, timeOption, UsageError, type CommandSpec } from '../cli-frame';
import { withLedger } from './with-ledger';

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'export claims, decisions, disbursements and obligations per funder and month (xlsx or csv)',
  help: `Usage: ledger export --as-of <time> --format xlsx|csv --out <file-or-dir>

Rebuilds the read models as the ledger knew them at --as-of (ledger time) and writes, for the finance
bureau: claims, decisions, disbursements, recoveries, and obligations per funder and month.
  xlsx: one workbook, one sheet each plus a notes sheet; --out is the .xlsx file.
  csv:  --out is a directory; one UTF-8 (with BOM) CSV per sheet: claims.csv, decisions.csv,
        disbursements.csv, recoveries.csv, obligations.csv.
Headers: Chinese in the first row, English in the second. Amounts are exact 2-digit decimal text
(never floating point); each sheet ends with a totals row computed exactly.

Options:
  --as-of <time>     ISO-8601; a bare date means the end of that day in Hangzhou (UTC+8)
  --format <f>       xlsx or csv
  --out <path>       output file (xlsx) or directory (csv)`,
  options: { 'as-of': { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run(values, io) {
    const asOf = timeOption(values, 'as-of');
    if (asOf === undefined) throw new UsageError('--as-of is required');
    const format = requiredString(values, 'format');
    if (format !== 'xlsx' && format !== 'csv') throw new UsageError(`--format must be xlsx or csv, got "${format}"`);
    const out = requiredString(values, 'out');
    const workbook = await withLedger(io, { create: false }, (context) => buildLedgerExport(context.eventStore, { asOf, now: new Date() }));
    if (format === 'xlsx') {
      mkdirSync(dirname(out), { recursive: true });
      await writeXlsxFile(workbook, out);
      io.stdout.write(`wrote ${out}\n`);
    } else {
      for (const path of writeWorkbookCsv(workbook, out)) io.stdout.write(`wrote ${path}\n`);
    }
    const rows = workbook.sheets.map((sheet) => `${sheet.id} ${sheet.rows.length}`).join(', ');
    io.stdout.write(`as of ${workbook.asOf}, log position ${workbook.headPosition}: ${rows}\n`);
    return EXIT_OK;
  },
};

/** Streams the workbook to the file and waits until it is flushed, so exit 0 means the file is complete. */
async function writeXlsxFile(workbook: ExportWorkbook, path: string): Promise<void> {
  const file = createWriteStream(path);
  await writeWorkbookXlsx(workbook, file);
  await finished(file);
}
