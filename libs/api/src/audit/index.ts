export { AuditHttpModule } from './audit-http.module';
export { AuditHttpController } from './audit.http.controller';
export { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';
