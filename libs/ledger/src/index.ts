export * from './events';
export * from './stored-event';
export * from './commands';
export * from './command-registry';
export * from './errors';
export * from './context';
export * from './decider';
export {
  isValidUscc,
  USCC_ALPHABET,
  USCC_LENGTH,
  usccFromPrefix,
  REFERENCE_MAX_LENGTH,
  REFERENCE_PATTERN,
} from './guards';
export * from './applicant/state';
export * from './applicant/claims';
export * from './applicant/decider';
export * from './applicant/views';
export * from './applicant/stale-view';
export * from './allocation/state';
export * from './allocation/decider';
export * from './allocation/views';
export * from './period/adjustment-duties';
export * from './period/dated-movement';
