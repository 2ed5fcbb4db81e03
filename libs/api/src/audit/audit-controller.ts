/**
 * What the auditor's synchronous routes and their jobs share (docs/architecture.md §6, docs/operations.md
 * "Jobs"): the stores the service already holds, the export built over them with the sealed checkpoints
 * of the data directory, and a result sent as an attachment.
 */
import { Inject, Optional } from '@nestjs/common';
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportLedger, readCheckpointFiles, type ExportRequest } from '@hz/audit';
import type { Clock, EventStore } from '@hz/event-store';
import type { ReadStore } from '@hz/projections';
import { CLOCK, EVENT_STORE, READ_STORE } from '../tokens';
import { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';
import {
  exportParameters,
  writeExport,
  type ExportAttachment,
  type ExportParameters,
  type ExportQuery,
} from './export-request';

/** A response a header is set on: `header(name, value)` is Express's response and Fastify's reply alike. */
export interface HeaderResponse {
  header(name: string, value: string): unknown;
}

/**
 * The response of a download route as Nest hands it over: Express's response is node's ServerResponse
 * itself, Fastify's reply holds it as `raw`. Downloads write to that ServerResponse, as a stream, on either.
 */
export type DownloadResponse = ServerResponse | { readonly raw: ServerResponse };

/** The node:http response under either adapter's object. */
export function rawResponse(response: DownloadResponse): ServerResponse {
  return (response as { raw?: ServerResponse }).raw ?? (response as ServerResponse);
}

/** What the export job adds to the synchronous export: cancellation and progress. */
type ExportWatch = Pick<ExportRequest, 'signal' | 'onProgress'>;

/** Injected as properties, so that a controller adds its own without restating these (Nest's advice). */
export abstract class AuditStoresController {
  @Inject(EVENT_STORE) protected readonly eventStore!: EventStore;
  @Inject(CLOCK) protected readonly clock!: Clock;
  @Inject(AUDIT_HTTP_OPTIONS) protected readonly options!: AuditHttpOptions;
  @Optional() @Inject(READ_STORE) protected readonly readStore?: ReadStore;

  /** The export the query asks for, made now (400 AUDIT.* on a bad query, before anything is read). */
  protected exportAsked(query: ExportQuery): {
    readonly now: Date;
    readonly parameters: ExportParameters;
  } {
    const now = this.clock.now();
    return { now, parameters: exportParameters(query, now) };
  }

  /**
   * The workbook as of `parameters.asOf`, made at `now`, read from `eventStore`, written as asked to the
   * stream `open` gives (streamed from the export's scratch file: exportLedger, issue 13); resolves with the
   * download's media type and file name once the stream finished.
   */
  protected streamedExport(
    eventStore: EventStore,
    parameters: ExportParameters,
    now: Date,
    open: (attachment: ExportAttachment) => Writable,
    watch: ExportWatch = {},
  ): Promise<ExportAttachment> {
    return exportLedger(
      eventStore,
      {
        asOf: parameters.asOf,
        now,
        byFunder: parameters.byFunder,
        checkpoints: readCheckpointFiles(join(this.options.dataDir, 'checkpoints')),
        ...watch,
      },
      (workbook) => writeExport(workbook, parameters, open),
    );
  }
}

/** Starts a download on the raw response: status 200, its media type and file name; the body follows. */
export function openDownload(
  response: ServerResponse,
  { contentType, fileName }: ExportAttachment,
  length?: number,
): ServerResponse {
  response.statusCode = 200;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  if (length !== undefined) response.setHeader('Content-Length', String(length));
  return response;
}

/** A job's result file as a download, streamed from the file. */
export async function sendFile(
  response: ServerResponse,
  attachment: ExportAttachment,
  file: string,
): Promise<void> {
  openDownload(response, attachment, statSync(file).size);
  try {
    await pipeline(createReadStream(file), response);
  } catch {
    // The client went away mid-download: nothing is left to answer.
  }
}
