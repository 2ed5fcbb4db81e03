/**
 * Invariant 6 through `ledger verify`: the live read models (built by the projections' runner, as the
 * service does) must equal a fresh replay; a row edited in the live store must be reported.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteEventStore } from '@hz/event-store';
import {
  openReadStore,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  readSideConfigFromEnv,
  tableNames,
} from '@hz/projections';
import { demoLedgerTemplate, failingChecks, verifyJson } from './testing/cli-harness';

jest.setTimeout(120_000);

/** Projects the whole log into `<dataDir>/read-models.db` as the service's projector would. */
async function buildLiveReadModels(dataDir: string): Promise<number> {
  const config = readSideConfigFromEnv({ LEDGER_DATA_DIR: dataDir });
  const events = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  const readStore = await openReadStore(config);
  try {
    const { generation } = await readStore.createGeneration(PROJECTION_SCHEMA_VERSION);
    const checkpoint = await new ProjectionRunner(events, readStore, generation).catchUp();
    await readStore.activate(generation, checkpoint.position);
    return generation;
  } finally {
    await readStore.close();
    await events.close();
  }
}

describe('Invariant 6: rebuild = live — ledger verify: live read models against a fresh replay', () => {
  let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
  beforeAll(async () => {
    template = await demoLedgerTemplate(25, '2023');
  });

  it('passes when the live read models were projected from the log', async () => {
    const dataDir = template.copy();
    await buildLiveReadModels(dataDir);
    const { code, report } = await verifyJson(dataDir);
    expect(report.checks['projection-rebuild']).toEqual({ ran: true, violations: 0 });
    expect(code).toBe(0);
  });

  it('fails when a live row was edited', async () => {
    const dataDir = template.copy();
    const generation = await buildLiveReadModels(dataDir);
    const db = new Database(join(dataDir, 'read-models.db'));
    db.prepare(
      `UPDATE ${tableNames(generation).claims} SET paid_city = '0.00' WHERE claim_id = (SELECT claim_id FROM ${tableNames(generation).claims} WHERE paid_city <> '0.00' LIMIT 1)`,
    ).run();
    db.close();
    const { code, report } = await verifyJson(dataDir);
    expect(code).toBe(1);
    expect(failingChecks(report)).toEqual(['projection-rebuild']);
    expect(report.findings[0]?.code).toBe('PROJECTION.DIFFERS_FROM_REPLAY');
  });

  it('skips the comparison when the service never built read models', async () => {
    const { report } = await verifyJson(template.copy());
    expect(report.checks['projection-rebuild']).toEqual({ ran: false, violations: 0 });
  });
});
