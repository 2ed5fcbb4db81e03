/**
 * The export's request and its rendering, one home for `GET /audit/export` and the export job
 * (docs/architecture.md §6): the query validated into what buildLedgerExport needs, and the workbook
 * rendered as the xlsx or one sheet's csv with its media type and file name.
 */
import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { asOfText as endOfDayIfDate } from '@hz/kernel';
import type { Writable } from 'node:stream';
import { csvLines, writeWorkbookXlsx, type ExportWorkbook } from '@hz/audit';
import { ApiError } from '../http/errors/error-body';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_IDS = [
  'summary',
  'monthly',
  'claims',
  'decisions',
  'disbursements',
  'recoveries',
  // 期后调整: only in a ledger with a closed period (docs/operations.md "Period close"); 404 otherwise.
  'adjustments',
] as const;
/** The monthly sheet was called 'obligations' before the finance workbook (docs/decisions.md); the old id still works. */
const SHEET_ALIASES: Readonly<Record<string, string>> = { obligations: 'monthly' };

export interface ExportQuery {
  readonly asOf?: string;
  readonly format?: string;
  readonly sheet?: string;
  readonly byFunder?: string;
}

export interface ExportParameters {
  readonly asOf: Date;
  readonly format: 'xlsx' | 'csv';
  /** The csv's sheet id (aliases resolved). */
  readonly sheet: string;
  readonly byFunder: boolean;
}

export interface RenderedExport {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: Buffer | string;
}

/** The export's bodies as the routes document them: the xlsx workbook or one sheet's csv. */
export const EXPORT_CONTENT = {
  [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
  'text/csv': { schema: { type: 'string' } },
};
export const EXPORT_TYPES = Object.keys(EXPORT_CONTENT);

/** The 400s of a bad export query, as the routes document them. */
export const EXPORT_QUERY_INVALID =
  'AUDIT.FORMAT_INVALID, AUDIT.SHEET_INVALID, AUDIT.BY_FUNDER_INVALID or AUDIT.AS_OF_INVALID';

/** The export's query in the OpenAPI document (GET /audit/export and POST /audit/export-jobs). */
export const ApiExportQuery = () =>
  applyDecorators(
    // Listed last to first: the document shows them in the order they were declared before.
    ApiQuery({
      name: 'byFunder',
      required: false,
      enum: ['true', 'false'],
      description: 'one more sheet per funder',
    }),
    ApiQuery({
      name: 'sheet',
      required: false,
      description: `csv only: ${SHEET_IDS.join(', ')} or funder-<code>`,
    }),
    ApiQuery({ name: 'format', required: true, enum: ['xlsx', 'csv'] }),
    ApiQuery({
      name: 'asOf',
      required: false,
      description: 'ISO-8601 ledger time; a bare date is the end of that day in UTC+8; default now',
    }),
  );

/** 400 AUDIT.* on a bad query; nothing is read before the query is valid. */
export function exportParameters(query: ExportQuery, now: Date): ExportParameters {
  const asOf = query.asOf === undefined ? now : parseAsOf(query.asOf);
  const format = query.format;
  if (format !== 'xlsx' && format !== 'csv')
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'AUDIT.FORMAT_INVALID',
      'format must be xlsx or csv',
    );
  if (query.byFunder !== undefined && query.byFunder !== 'true' && query.byFunder !== 'false')
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'AUDIT.BY_FUNDER_INVALID',
      'byFunder must be true or false',
    );
  const sheet = SHEET_ALIASES[query.sheet ?? ''] ?? query.sheet ?? 'monthly';
  if (
    !(SHEET_IDS as readonly string[]).includes(sheet) &&
    !/^funder-[a-z0-9-]{1,40}$/.test(sheet)
  ) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'AUDIT.SHEET_INVALID',
      `sheet must be one of ${SHEET_IDS.join(', ')} or funder-<code>`,
    );
  }
  const byFunder = query.byFunder === 'true' || sheet.startsWith('funder-');
  return { asOf, format, sheet, byFunder };
}

/** What a download is sent as. */
export type ExportAttachment = Omit<RenderedExport, 'body'>;

/**
 * Writes the xlsx (every sheet) or the one sheet's csv to the stream `open` gives for its media type and
 * file name, and ends it (issue 13: streamed, so the download's memory does not grow with the ledger;
 * docs/benchmarks.md "Export, our own xlsx writer"). An unknown funder's csv is refused 404
 * AUDIT.SHEET_NOT_FOUND before `open` is called, so nothing has been sent yet. Resolves when the stream
 * finished; rejects if it errors or closes first (a client that went away).
 */
export async function writeExport(
  workbook: ExportWorkbook,
  parameters: ExportParameters,
  open: (attachment: ExportAttachment) => Writable,
): Promise<ExportAttachment> {
  const stamp = parameters.asOf.toISOString().slice(0, 10);
  if (parameters.format === 'xlsx') {
    const attachment = { contentType: XLSX_TYPE, fileName: `ledger-export-${stamp}.xlsx` };
    await writeWorkbookXlsx(workbook, open(attachment));
    return attachment;
  }
  const sheet = workbook.sheets.find((candidate) => candidate.id === parameters.sheet);
  if (sheet === undefined)
    throw new ApiError(
      HttpStatus.NOT_FOUND,
      'AUDIT.SHEET_NOT_FOUND',
      `the export has no sheet ${parameters.sheet} (no such funder as of ${parameters.asOf.toISOString()})`,
    );
  const attachment = {
    contentType: 'text/csv; charset=utf-8',
    fileName: `ledger-${sheet.id}-${stamp}.csv`,
  };
  await writeLines(csvLines(sheet), open(attachment));
  return attachment;
}

/** Text gathered before one write of a csv download. */
const CSV_CHUNK_CHARS = 64 * 1024;

/** Writes the lines in chunks, waiting while the stream is full, then ends it and waits until it finished. */
async function writeLines(lines: Iterable<string>, out: Writable): Promise<void> {
  let failure: Error | null = null;
  const failed = new Promise<never>((_resolve, reject) => {
    out.once('error', (error: Error) => reject((failure ??= error)));
    out.once('close', () => {
      if (!out.writableFinished)
        reject((failure ??= new Error('the download closed before it was finished')));
    });
  });
  failed.catch(() => undefined);
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (failure !== null) throw failure;
    const text = chunk;
    chunk = '';
    if (!out.write(text))
      await Promise.race([new Promise<void>((resolve) => out.once('drain', resolve)), failed]);
  };
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CSV_CHUNK_CHARS) await flush();
  }
  if (chunk.length > 0) await flush();
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
}

function parseAsOf(text: string): Date {
  const iso = endOfDayIfDate(text);
  const time = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'AUDIT.AS_OF_INVALID',
      'asOf must be an ISO-8601 time such as 2024-12-31 or 2024-12-31T16:00:00Z',
    );
  }
  return new Date(time);
}
