/**
 * The adapter-neutral contract suite against PostgreSQL: one throwaway database for this file, one fresh
 * schema per test (so every test starts from an empty log), dropped with the database at the end.
 */
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing';
import { openPostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database';

let database: ThrowawayDatabase | undefined;
let schemaCounter = 0;

beforeAll(async () => {
  database = await createThrowawayDatabase('ledger_contract');
});

afterAll(async () => {
  await database?.drop();
});

// Both notification modes: they differ only in when subscribers are woken, which the suite observes.
// Group commit (issue 12) is on by default; the last run has it off (LEDGER_GROUP_COMMIT=off).
for (const [notify, groupCommit] of [
  ['in-transaction', true],
  ['after-commit', true],
  ['in-transaction', false],
] as const) {
  describeEventStoreContract(
    `postgres (notify ${notify}, group commit ${groupCommit ? 'on' : 'off'})`,
    {
      create: async ({ clock }) => {
        if (database === undefined) throw new Error('the throwaway database was not created');
        schemaCounter += 1;
        const schema = `contract_${schemaCounter}`;
        const { connectionString } = database;
        // Small catch-up pages so subscriptions cross page boundaries; a short poll so fallbacks stay quick.
        const options: PostgresEventStoreOptions = {
          connectionString,
          schema,
          clock,
          notify,
          groupCommit,
          poolSize: 4,
          pollIntervalMs: 50,
          subscriptionBatchSize: 4,
        };
        return {
          store: await openPostgresEventStore(options),
          reopen: () => openPostgresEventStore(options),
          child: {
            modulePath: join(__dirname, 'postgres-child-store.ts'),
            exportName: 'openPostgresEventStoreFromConfig',
            config: { connectionString, schema, groupCommit },
          },
          // The schema goes with the database in afterAll.
          dispose: async () => undefined,
        };
      },
    },
  );
}
