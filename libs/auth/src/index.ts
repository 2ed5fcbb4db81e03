export * from './roles';
export * from './token';
export * from './audit-logger';
export * from './access';
export * from './auth.guard';
export * from './auth.module';
export * from './secret-file';
export * from './provider-claims';
