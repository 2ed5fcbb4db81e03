/** Test catalogs of the policy engine for other projects' tests (the amendment e2e spec). Not shipped. */
export * from './amendment';
