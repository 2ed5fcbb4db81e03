/**
 * What the auditor's synchronous routes and their jobs share (docs/architecture.md §6, docs/operations.md
 * "Jobs"): the stores the service already holds, the export built over them with the sealed checkpoints
 * of the data directory, and a result sent as an attachment.
 */
import { Inject, Optional } from '@nestjs/common';
import { join } from 'node:path';
import { buildLedgerExport, readCheckpointFiles } from '@hz/audit';
import type { Clock, EventStore } from '@hz/event-store';
import type { ReadStore } from '@hz/projections';
import { CLOCK, EVENT_STORE, READ_STORE } from '../tokens';
import { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';
import {
  exportParameters,
  renderExport,
  type ExportParameters,
  type ExportQuery,
  type RenderedExport,
} from './export-request';

export interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
}

export interface BinaryResponse extends HeaderResponse {
  send(body: Buffer | string): unknown;
}

/** What the export job adds to the synchronous export: cancellation and progress. */
type ExportWatch = Pick<Parameters<typeof buildLedgerExport>[1], 'signal' | 'onProgress'>;

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

  /** The workbook as of `parameters.asOf`, made at `now`, read from `eventStore`, rendered as asked. */
  protected async renderedExport(
    eventStore: EventStore,
    parameters: ExportParameters,
    now: Date,
    watch: ExportWatch = {},
  ): Promise<RenderedExport> {
    const workbook = await buildLedgerExport(eventStore, {
      asOf: parameters.asOf,
      now,
      byFunder: parameters.byFunder,
      checkpoints: readCheckpointFiles(join(this.options.dataDir, 'checkpoints')),
      ...watch,
    });
    return renderExport(workbook, parameters);
  }
}

/** A verify report, workbook or sheet as a download under its own media type and file name. */
export function sendAttachment(
  response: BinaryResponse,
  { contentType, fileName }: Omit<RenderedExport, 'body'>,
  body: Buffer | string,
): void {
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  response.send(body);
}
