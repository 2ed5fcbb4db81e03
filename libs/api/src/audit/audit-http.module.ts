/**
 * GET /audit/verify, POST /audit/checkpoints, GET /audit/export and the jobs (verify-jobs, export-jobs,
 * jobs/{id}) for the auditor role; POST /periods/{period}/close for the admin. Expects EVENT_STORE
 * and CLOCK from a global module of the app (READ_STORE when there is one), and AuthModule's global guard.
 *
 *   imports: [AuditHttpModule.register({ dataDir: config.dataDir })]
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { join } from 'node:path';
import { JobRegistry } from '../jobs/job-registry';
import { AuditHttpController } from './audit.http.controller';
import { AuditJobsHttpController } from './audit-jobs.http.controller';
import { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';
import { PeriodsHttpController } from './periods.http.controller';

/** As LEDGER_JOBS_MAX_CONCURRENT's default: one per core of the reference machine. */
const DEFAULT_MAX_CONCURRENT_JOBS = 2;

@Module({})
export class AuditHttpModule {
  static register(options: AuditHttpOptions): DynamicModule {
    return {
      module: AuditHttpModule,
      controllers: [AuditHttpController, AuditJobsHttpController, PeriodsHttpController],
      providers: [
        { provide: AUDIT_HTTP_OPTIONS, useValue: options },
        {
          provide: JobRegistry,
          useFactory: () =>
            new JobRegistry({
              directory: options.jobsDir ?? join(options.dataDir, 'jobs'),
              maxConcurrent: options.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS,
            }),
        },
      ],
    };
  }
}
