/**
 * The model-based run on PostgreSQL (a throwaway database, as test/e2e-postgres): see model.suite.ts.
 * @jest-environment ../e2e-postgres/postgres-environment.ts
 */
import { defineModelTest } from './model.suite';

defineModelTest('postgres');
