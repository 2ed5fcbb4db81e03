export * from './money';
export * from './decimal-string';
export * from './allocation';
