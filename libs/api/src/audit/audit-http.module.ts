/**
 * GET /audit/verify, POST /audit/checkpoints, GET /audit/export for the auditor role. Expects EVENT_STORE
 * and CLOCK from a global module of the app (READ_STORE when there is one), and AuthModule's global guard.
 *
 *   imports: [AuditHttpModule.register({ dataDir: config.dataDir })]
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { AuditHttpController } from './audit.http.controller';
import { AUDIT_HTTP_OPTIONS, type AuditHttpOptions } from './audit-options';

@Module({})
export class AuditHttpModule {
  static register(options: AuditHttpOptions): DynamicModule {
    return {
      module: AuditHttpModule,
      controllers: [AuditHttpController],
      providers: [{ provide: AUDIT_HTTP_OPTIONS, useValue: options }],
    };
  }
}
