/**
 * The hostile-client battery on PostgreSQL (a throwaway database, as test/e2e-postgres): see battery.suite.ts.
 * @jest-environment ../e2e-postgres/postgres-environment.ts
 */
import { defineBattery } from './battery.suite';

defineBattery('postgres');
