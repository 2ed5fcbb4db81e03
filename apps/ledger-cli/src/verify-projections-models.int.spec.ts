/**
 * Invariant 6 through `ledger verify`, model by model: an edited row in any read model the service
 * serves (fiscal obligations, caps, a claim's audit trail, one-time awards) must be reported as
 * PROJECTION.DIFFERS_FROM_REPLAY, not only an edited claim row (verify-projections.int.spec.ts).
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

type Tables = ReturnType<typeof tableNames>;

/** One edit per model, each on a row that the model serves (for temporal tables: the newest version). */
const EDITS: ReadonlyArray<readonly [string, (t: Tables) => string]> = [
  [
    'fiscal obligations',
    (t) => `UPDATE ${t.fiscalVersions} SET committed = '123456789.01'
    WHERE (funder, month, recorded_at_ms, position) = (SELECT funder, month, recorded_at_ms, position FROM ${t.fiscalVersions} ORDER BY position DESC LIMIT 1)`,
  ],
  [
    'caps',
    (t) => `UPDATE ${t.capVersions} SET granted = '123456789.01'
    WHERE (applicant, cap_id, position) = (SELECT applicant, cap_id, position FROM ${t.capVersions} ORDER BY position DESC LIMIT 1)`,
  ],
  [
    'audit trail',
    (t) =>
      `UPDATE ${t.audit} SET actor = 'someone-else' WHERE position = (SELECT MIN(position) FROM ${t.audit})`,
  ],
  [
    'one-time awards',
    (t) => `UPDATE ${t.awards} SET amount = '123456789.01'
    WHERE (applicant, program_code, claim_id) = (SELECT applicant, program_code, claim_id FROM ${t.awards} LIMIT 1)`,
  ],
];

describe('Invariant 6: rebuild = live — ledger verify: an edited row in any live read model', () => {
  let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
  beforeAll(async () => {
    template = await demoLedgerTemplate(25, '2023');
  });

  it.each(EDITS)('is reported when it is in the %s', async (_model, edit) => {
    const dataDir = template.copy();
    const generation = await buildLiveReadModels(dataDir);
    const db = new Database(join(dataDir, 'read-models.db'));
    const changed = db.prepare(edit(tableNames(generation))).run().changes;
    db.close();
    expect(changed).toBe(1);
    const { code, report } = await verifyJson(dataDir);
    expect(code).toBe(1);
    expect(failingChecks(report)).toEqual(['projection-rebuild']);
    expect(report.findings.map((finding) => finding.code)).toContain(
      'PROJECTION.DIFFERS_FROM_REPLAY',
    );
  });
});
