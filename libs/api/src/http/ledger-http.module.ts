/**
 * The write side and the stream-backed reads of the HTTP API. Expects, from a global module of the app:
 * EVENT_STORE, IDEMPOTENCY_STORE, LEDGER_SERVICE, CLOCK, CATALOG, MetricsRegistry (and optionally
 * PROJECTION_RUNNER), plus AuthModule.
 */
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiExceptionFilter } from './errors/http-exception.filter';
import { IdempotencyService } from './idempotency/idempotency.service';
import { HealthHttpController } from './operations/health.http.controller';
import { WriteGateway } from './support/write-gateway';
import { ApiValidationPipe } from './validation/validation.pipe';
import { COMMAND_CONTROLLERS, COMMAND_HANDLERS } from './commands';
import { QUERY_CONTROLLERS } from './queries';

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [...COMMAND_CONTROLLERS, ...QUERY_CONTROLLERS, HealthHttpController],
  providers: [
    ...COMMAND_HANDLERS,
    WriteGateway,
    IdempotencyService,
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class LedgerHttpModule {}
