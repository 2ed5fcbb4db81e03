/**
 * The auditor's operations over HTTP (architecture §6): the same code as `ledger verify`, `ledger seal`
 * and `ledger export` (libs/audit), on the stores the service already holds.
 */
import { Controller, Get, HttpCode, HttpStatus, Inject, Optional, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLedgerExport, loadOrCreateSealKey, runLedgerVerification, sealLog, sheetToCsv, workbookToXlsx, type Checkpoint, type VerifyReport } from '@hz/audit';
import { Roles } from '@hz/auth';
import type { Clock, EventStore } from '@hz/event-store';
import type { ReadStore } from '@hz/projections';
import { ApiError } from '../http/errors/error-body';
import { CLOCK, EVENT_STORE, READ_STORE } from '../tokens';
import { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';

interface BinaryResponse {
  setHeader(name: string, value: string): unknown;
  send(body: Buffer | string): unknown;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SHEET_IDS = ['claims', 'decisions', 'disbursements', 'recoveries', 'obligations'] as const;

@ApiTags('audit')
@Controller('audit')
export class AuditHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AUDIT_HTTP_OPTIONS) private readonly options: AuditHttpOptions,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStore,
  ) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({ summary: 'Verify hash chains, every invariant over the whole history, recomputed decisions and the read models (200 with ok=false on violations)' })
  async verify(): Promise<VerifyReport> {
    return runLedgerVerification({ eventStore: this.eventStore, liveReadStore: this.readStore });
  }

  @Post('checkpoints')
  @Roles('auditor')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Seal the log as it stands: a signed Ed25519 checkpoint over the Merkle root of the event hashes' })
  async seal(): Promise<Checkpoint> {
    const key = loadOrCreateSealKey(this.options.dataDir);
    const checkpoint = await sealLog(this.eventStore, { privateKey: key.privateKey, now: this.clock.now() });
    const directory = join(this.options.dataDir, 'checkpoints');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `checkpoint-${checkpoint.position}.json`), `${JSON.stringify(checkpoint, null, 2)}\n`);
    return checkpoint;
  }

  @Get('export')
  @Roles('auditor')
  @ApiOperation({ summary: 'The finance bureau export as of a ledger time: xlsx (all sheets) or csv (one sheet, default obligations)' })
  @ApiQuery({ name: 'asOf', required: true, description: 'ISO-8601 ledger time' })
  @ApiQuery({ name: 'format', required: true, enum: ['xlsx', 'csv'] })
  @ApiQuery({ name: 'sheet', required: false, enum: SHEET_IDS })
  @ApiProduces(XLSX_TYPE, 'text/csv')
  async export(@Query('asOf') asOfText: string | undefined, @Query('format') format: string | undefined, @Query('sheet') sheetId: string | undefined, @Res() response: BinaryResponse): Promise<void> {
    const asOf = parseAsOf(asOfText);
    if (format !== 'xlsx' && format !== 'csv') throw new ApiError(HttpStatus.BAD_REQUEST, 'AUDIT.FORMAT_INVALID', 'format must be xlsx or csv');
    const wanted = sheetId ?? 'obligations';
    if (!(SHEET_IDS as readonly string[]).includes(wanted)) throw new ApiError(HttpStatus.BAD_REQUEST, 'AUDIT.SHEET_INVALID', `sheet must be one of ${SHEET_IDS.join(', ')}`);
    const workbook = await buildLedgerExport(this.eventStore, { asOf, now: this.clock.now() });
    const stamp = asOf.toISOString().slice(0, 10);
    if (format === 'xlsx') {
      response.setHeader('Content-Type', XLSX_TYPE);
      response.setHeader('Content-Disposition', `attachment; filename="ledger-export-${stamp}.xlsx"`);
      response.send(await workbookToXlsx(workbook));
      return;
    }
    const sheet = workbook.sheets.find((candidate) => candidate.id === wanted);
    if (sheet === undefined) throw new Error(`the export has no sheet ${wanted}`);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="ledger-${sheet.id}-${stamp}.csv"`);
    response.send(sheetToCsv(sheet));
  }
}

function parseAsOf(text: string | undefined): Date {
  const iso = text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.999+08:00` : text;
  const time = iso === undefined ? Number.NaN : Date.parse(iso);
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'AUDIT.AS_OF_INVALID', 'asOf must be an ISO-8601 time such as 2024-12-31 or 2024-12-31T16:00:00Z');
  }
  return new Date(time);
}
