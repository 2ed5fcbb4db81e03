/**
 * The auditor's operations over HTTP (docs/architecture.md §6): the same code as `ledger verify`, `ledger seal`
 * and `ledger export` (libs/audit), on the stores the service already holds.
 */
import { Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
} from '@nestjs/swagger';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadOrCreateSealKey,
  runLedgerVerification,
  sealLog,
  type Checkpoint,
  type VerifyReport,
} from '@hz/audit';
import { Roles } from '@hz/auth';
import { ApiBearerController, ApiErrors } from '../http/support/api-docs';
import {
  AuditStoresController,
  openDownload,
  rawResponse,
  type DownloadResponse,
} from './audit-controller';
import { CheckResultDoc, SealedCheckpointDoc, VerifyReportDoc } from './audit-docs';
import {
  ApiExportQuery,
  EXPORT_CONTENT,
  EXPORT_QUERY_INVALID,
  EXPORT_TYPES,
} from './export-request';

@ApiBearerController('audit')
@ApiExtraModels(CheckResultDoc)
export class AuditHttpController extends AuditStoresController {
  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Verify hash chains, every invariant over the whole history, recomputed decisions and the read models (200 with ok=false on violations)',
  })
  @ApiOkResponse({ type: VerifyReportDoc, description: 'the report, violations included' })
  @ApiErrors([401, 403, 429], { 403: 'not an auditor' })
  async verify(): Promise<VerifyReport> {
    return runLedgerVerification({ eventStore: this.eventStore, liveReadStore: this.readStore });
  }

  @Post('checkpoints')
  @Roles('auditor')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Seal the log as it stands: a signed Ed25519 checkpoint over the Merkle root of the event hashes',
  })
  @ApiResponse({ status: 201, type: SealedCheckpointDoc, description: 'sealed and kept' })
  @ApiErrors([401, 403, 429], { 403: 'not an auditor' })
  async seal(): Promise<Checkpoint> {
    const key = loadOrCreateSealKey(this.options.dataDir);
    const checkpoint = await sealLog(this.eventStore, {
      privateKey: key.privateKey,
      now: this.clock.now(),
    });
    const directory = join(this.options.dataDir, 'checkpoints');
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      join(directory, `checkpoint-${checkpoint.position}.json`),
      `${JSON.stringify(checkpoint, null, 2)}\n`,
    );
    return checkpoint;
  }

  @Get('export')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'The finance workbook as of a ledger time (default now): xlsx (every sheet) or csv (one sheet, default monthly)',
  })
  @ApiExportQuery()
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({
    description: 'the workbook (xlsx) or one sheet (csv), as an attachment',
    content: EXPORT_CONTENT,
  })
  @ApiErrors([400, 401, 403, 404, 429], {
    400: EXPORT_QUERY_INVALID,
    403: 'not an auditor',
    404: 'AUDIT.SHEET_NOT_FOUND: no such funder sheet as of that time',
  })
  async export(
    @Query('asOf') asOfText: string | undefined,
    @Query('format') format: string | undefined,
    @Query('sheet') sheetId: string | undefined,
    @Query('byFunder') byFunderText: string | undefined,
    @Res() response: DownloadResponse,
  ): Promise<void> {
    const { now, parameters } = this.exportAsked({
      asOf: asOfText,
      format,
      sheet: sheetId,
      byFunder: byFunderText,
    });
    // Streamed to node's response under Express or Fastify (issue 13): the workbook is never held whole.
    const raw = rawResponse(response);
    try {
      await this.streamedExport(this.eventStore, parameters, now, (attachment) =>
        openDownload(raw, attachment),
      );
    } catch (error) {
      // Before the first byte a failure is answered as any other (404 AUDIT.SHEET_NOT_FOUND, 500); after it
      // the download is cut, so the client sees a broken file, never a complete-looking wrong one.
      if (!raw.headersSent) throw error;
      raw.destroy();
    }
  }
}
