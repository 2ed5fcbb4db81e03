/**
 * @hz/config: the one schema of the environment (docs/architecture.md §1). Apps read it once at start-up
 * and pass the settings on; libraries take their settings as arguments.
 */
export * from './environment';
export { environmentTable, TABLE_BEGIN, TABLE_END } from './environment-table';
export { SettingProblem, type Variable } from './variables';
