/** OpenAPI shape of a job (issue 13, docs/operations.md "Jobs"), checked against the registry's own type. */
import { ApiProperty } from '@nestjs/swagger';
import type { JobProgress, JobRecord, JobState } from '../jobs/job-registry';
import type { Assert, SameKeys } from '../http/support/view-docs';

export class JobProgressDoc implements JobProgress {
  @ApiProperty({
    description: 'events done',
  })
  done!: number;
  @ApiProperty({ description: 'events the job covers, counted once at its start' }) total!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'events per second since it started' })
  ratePerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds left at that rate' })
  etaSeconds!: number | null;
}

export class JobErrorDoc {
  @ApiProperty({ example: 'JOB.INTERRUPTED', description: 'stable machine code' }) code!: string;
  @ApiProperty() message!: string;
}

export class JobResultDoc {
  @ApiProperty({ example: 'application/json; charset=utf-8' }) contentType!: string;
  @ApiProperty({ example: 'ledger-export-2024-12-31.xlsx' }) fileName!: string;
}

export class AuditJobDoc implements JobRecord {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['verify', 'export'] }) kind!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) state!: JobState;
  @ApiProperty({ description: 'subject of the token that started it' }) startedBy!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'the request as understood (export: asOf, format, byFunder, sheet)',
  })
  parameters!: Record<string, string>;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: JobProgressDoc }) progress!: JobProgressDoc;
  @ApiProperty({
    type: JobErrorDoc,
    nullable: true,
    description: 'when failed: JOB.INTERRUPTED (the service stopped), JOB.FAILED or a refusal code',
  })
  error!: JobErrorDoc | null;
  @ApiProperty({ type: JobResultDoc, nullable: true, description: 'when succeeded' })
  result!: JobResultDoc | null;
}

export type AuditJobDocChecks = [
  Assert<SameKeys<AuditJobDoc, JobRecord>>,
  Assert<SameKeys<JobProgressDoc, JobProgress>>,
];
