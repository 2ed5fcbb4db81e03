/**
 * The auditor's long operations as jobs (issue 13, docs/operations.md "Jobs"): `POST /audit/verify-jobs` and
 * `POST /audit/export-jobs` answer 202 with the job and its Location at once; `GET /audit/jobs/{id}` shows
 * state and progress (events done/total, rate, ETA) and `GET /audit/jobs/{id}/result` downloads the verify
 * report or the workbook when it succeeded. The work is the same code as `GET /audit/verify` and
 * `GET /audit/export` (libs/audit), which stay synchronous for small ledgers and scripts.
 */
import {
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { createWriteStream, type WriteStream } from 'node:fs';
import { runLedgerVerification } from '@hz/audit';
import { CurrentUser, Roles, type AuthUser } from '@hz/auth';
import { ApiError, isErrorBody } from '../http/errors/error-body';
import { ApiBearerController, ApiErrors } from '../http/support/api-docs';
import {
  JobRegistry,
  JobsBusyError,
  yieldingReads,
  type JobRecord,
  type JobWork,
} from '../jobs/job-registry';
import {
  AuditStoresController,
  rawResponse,
  sendFile,
  type DownloadResponse,
  type HeaderResponse,
} from './audit-controller';
import { AuditJobDoc } from './audit-jobs-docs';
import {
  ApiExportQuery,
  EXPORT_CONTENT,
  EXPORT_QUERY_INVALID,
  EXPORT_TYPES,
} from './export-request';

const JOBS_PATH = '/api/v1/audit/jobs';
const BUSY_MEANING =
  'AUDIT.JOBS_BUSY: LEDGER_JOBS_MAX_CONCURRENT jobs are running; nothing started, retry after Retry-After seconds';

@ApiBearerController('audit')
export class AuditJobsHttpController extends AuditStoresController {
  @Inject(JobRegistry) private readonly jobs!: JobRegistry;

  @Post('verify-jobs')
  @Roles('auditor')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Start a verify of the whole ledger as a job (the work of GET /audit/verify); the report is its result',
  })
  @ApiResponse({ status: 202, type: AuditJobDoc, description: 'started; Location is the job' })
  @ApiErrors([401, 403, 429, 503], { 403: 'not an auditor', 503: BUSY_MEANING })
  startVerify(
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) response: HeaderResponse,
  ): JobRecord {
    return this.start('verify', user, {}, response, async ({ signal, progress }) => {
      const report = await runLedgerVerification(
        { eventStore: yieldingReads(this.eventStore), liveReadStore: this.readStore },
        { signal, onProgress: (step) => progress(step.done, step.total) },
      );
      return {
        contentType: 'application/json; charset=utf-8',
        fileName: `ledger-verify-${report.headPosition}.json`,
        body: JSON.stringify(report),
      };
    });
  }

  @Post('export-jobs')
  @Roles('auditor')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Start the finance workbook as a job (the query of GET /audit/export); the xlsx or csv is its result',
  })
  @ApiExportQuery()
  @ApiResponse({ status: 202, type: AuditJobDoc, description: 'started; Location is the job' })
  @ApiErrors([400, 401, 403, 429, 503], {
    400: EXPORT_QUERY_INVALID,
    403: 'not an auditor',
    503: BUSY_MEANING,
  })
  startExport(
    @CurrentUser() user: AuthUser,
    @Query('asOf') asOf: string | undefined,
    @Query('format') format: string | undefined,
    @Query('sheet') sheet: string | undefined,
    @Query('byFunder') byFunder: string | undefined,
    @Res({ passthrough: true }) response: HeaderResponse,
  ): JobRecord {
    const { now, parameters } = this.exportAsked({ asOf, format, sheet, byFunder });
    const given: Record<string, string> = {
      asOf: parameters.asOf.toISOString(),
      format: parameters.format,
      byFunder: String(parameters.byFunder),
      ...(parameters.format === 'csv' ? { sheet: parameters.sheet } : {}),
    };
    // The workbook is written to the job's result file as it is made (issue 13): no body in memory.
    return this.start('export', user, given, response, async ({ signal, progress, resultFile }) => {
      let file: WriteStream | undefined;
      try {
        return await this.streamedExport(
          yieldingReads(this.eventStore),
          parameters,
          now,
          () => (file = createWriteStream(resultFile, { mode: 0o600 })),
          { signal, onProgress: (step) => progress(step.done, step.total) },
        );
      } catch (error) {
        // A failed export lets go of its half-written file (the registry deletes it).
        file?.destroy();
        throw error;
      }
    });
  }

  @Get('jobs')
  @Roles('auditor')
  @ApiOperation({ summary: 'Every recorded job, newest first' })
  @ApiOkResponse({ type: [AuditJobDoc] })
  @ApiErrors([401, 403, 429], { 403: 'not an auditor' })
  list(): JobRecord[] {
    return this.jobs.list();
  }

  @Get('jobs/:id')
  @Roles('auditor')
  @ApiOperation({
    summary: 'A job: state, progress (events done/total, rate, ETA), error or result',
  })
  @ApiParam({ name: 'id', description: 'the job id (UUID)' })
  @ApiOkResponse({ type: AuditJobDoc })
  @ApiErrors([401, 403, 404, 429], { 403: 'not an auditor', 404: 'JOB.NOT_FOUND' })
  get(@Param('id') id: string): JobRecord {
    return this.found(id);
  }

  @Get('jobs/:id/result')
  @Roles('auditor')
  @ApiOperation({ summary: "A succeeded job's result: the verify report (json) or the workbook" })
  @ApiParam({ name: 'id', description: 'the job id (UUID)' })
  @ApiProduces('application/json', ...EXPORT_TYPES)
  @ApiOkResponse({
    description: 'the result, as an attachment',
    content: {
      'application/json': { schema: { type: 'object' } },
      ...EXPORT_CONTENT,
    },
  })
  @ApiErrors([401, 403, 404, 409, 429], {
    403: 'not an auditor',
    404: 'JOB.NOT_FOUND',
    409: 'JOB.NOT_FINISHED (queued or running) or JOB.FAILED (no result; the job says why)',
  })
  async result(@Param('id') id: string, @Res() response: DownloadResponse): Promise<void> {
    const job = this.found(id);
    if (job.state === 'failed')
      throw new ApiError(HttpStatus.CONFLICT, 'JOB.FAILED', 'the job failed; it has no result', {
        error: job.error,
      });
    if (job.state !== 'succeeded' || job.result === null)
      throw new ApiError(
        HttpStatus.CONFLICT,
        'JOB.NOT_FINISHED',
        `the job is ${job.state}; its result comes when it succeeded`,
      );
    await sendFile(rawResponse(response), job.result, this.jobs.resultFile(id));
  }

  private start(
    kind: string,
    user: AuthUser,
    parameters: Record<string, string>,
    response: HeaderResponse,
    work: JobWork,
  ): JobRecord {
    let job: JobRecord;
    try {
      job = this.jobs.start(kind, user.sub, parameters, async (context) => {
        try {
          return await work(context);
        } catch (error) {
          throw withStableCode(error);
        }
      });
    } catch (error) {
      if (error instanceof JobsBusyError)
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'AUDIT.JOBS_BUSY', error.message);
      throw error;
    }
    response.header('Location', `${JOBS_PATH}/${job.id}`);
    return job;
  }

  private found(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (job === undefined)
      throw new ApiError(HttpStatus.NOT_FOUND, 'JOB.NOT_FOUND', `no job ${id}`);
    return job;
  }
}

/** A refusal inside the work (e.g. AUDIT.SHEET_NOT_FOUND) keeps its stable code on the failed job. */
function withStableCode(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  const body = error.getResponse();
  if (!isErrorBody(body)) return error;
  return Object.assign(new Error(body.error.message), { code: body.error.code });
}
