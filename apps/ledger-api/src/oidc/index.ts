export * from './settings';
export * from './dev-users';
export * from './dev-keys';
export * from './mount';
