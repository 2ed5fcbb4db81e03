/**
 * Test support: opens a workbook in LibreOffice headless as a finance officer's spreadsheet would, with
 * every formula recalculated on load (not the cached results we wrote), and reads back what it shows:
 * each sheet as CSV "as shown" (so amounts come back formatted, e.g. "1,234.50"), or a PDF of the print
 * layout rendered to PNG. Each call uses its own LibreOffice profile so tests can run side by side.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const SOFFICE = process.env['SOFFICE'] ?? '/usr/bin/soffice';
const TIMEOUT_MS = 180_000;

/**
 * A fresh profile whose Calc settings recalculate every formula when an xlsx (OOXML) or ods file is
 * loaded (OOXMLRecalcMode 0 = always; LibreOffice's default for xlsx is to trust the cached values).
 */
function freshProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  mkdirSync(join(dir, 'user'), { recursive: true });
  writeFileSync(
    join(dir, 'user', 'registrymodifications.xcu'),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  return `file://${dir}`;
}

const execFileAsync = promisify(execFile);

/** One LibreOffice process with its own profile; async, so two conversions can run side by side. */
async function soffice(args: readonly string[]): Promise<void> {
  await execFileAsync(
    SOFFICE,
    [`-env:UserInstallation=${freshProfile()}`, '--headless', '--norestore', ...args],
    { timeout: TIMEOUT_MS },
  );
}

/**
 * Every sheet of the workbook as LibreOffice shows it, keyed by sheet title. Filter options: comma, double
 * quote, UTF-8, from line 1, "save cell contents as shown" on, formulas as results, -1 = every sheet
 * (LibreOffice ≥ 7.2 writes `<name>-<sheet>.csv` per sheet).
 */
export async function sheetsAsShown(
  xlsxPath: string,
  titles: readonly string[],
): Promise<Map<string, string[][]>> {
  const outDir = mkdtempSync(join(tmpdir(), 'lo-csv-'));
  await soffice([
    '--convert-to',
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
    '--outdir',
    outDir,
    xlsxPath,
  ]);
  const base = basename(xlsxPath).replace(/\.xlsx$/, '');
  const sheets = new Map<string, string[][]>();
  for (const title of titles) {
    const file = join(outDir, `${base}-${title}.csv`);
    if (!existsSync(file))
      throw new Error(
        `LibreOffice wrote no CSV for sheet ${title}; it wrote: ${readdirSync(outDir).join(', ')}`,
      );
    sheets.set(title, parseCsv(readFileSync(file, 'utf8')));
  }
  return sheets;
}

/** The print layout as LibreOffice paginates it. */
export async function printToPdf(xlsxPath: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await soffice(['--convert-to', 'pdf', '--outdir', outDir, xlsxPath]);
  const pdf = join(outDir, basename(xlsxPath).replace(/\.xlsx$/, '.pdf'));
  if (!existsSync(pdf)) throw new Error(`LibreOffice wrote no PDF for ${xlsxPath}`);
  return pdf;
}

export function pdfPageCount(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? '0');
}

/** The text of one page (pdftotext). */
export function pdfPageText(pdf: string, page: number): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
}

/** Renders one page to `<pngBase>.png` at 60 dpi; returns the file. */
export function renderPage(pdf: string, page: number, pngBase: string): string {
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-singlefile',
    '-f',
    String(page),
    '-l',
    String(page),
    pdf,
    pngBase,
  ]);
  return `${pngBase}.png`;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
