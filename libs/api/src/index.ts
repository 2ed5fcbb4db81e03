export * from './tokens';
export * from './application';
export * from './http';
export * from './queries';
export * from './audit';
