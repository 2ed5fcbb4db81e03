export { AuditHttpModule } from './audit-http.module';
export { AuditHttpController } from './audit.http.controller';
export { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';
export { AuditJobsHttpController } from './audit-jobs.http.controller';
export { JobRegistry, type JobRecord, type JobState } from '../jobs/job-registry';
