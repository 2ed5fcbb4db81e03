export * from './tokens';
export * from './http';
export * from './queries';
export * from './audit';
