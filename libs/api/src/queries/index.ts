export * from './projections-query.module';
export * from './projections-query.service';
export * from './query-params';
export * from './query-access';
export * from './not-caught-up.filter';
export { ClaimsQueueHttpController } from './claims-queue.http.controller';
export { ProjectionsHttpController } from './projections.http.controller';
