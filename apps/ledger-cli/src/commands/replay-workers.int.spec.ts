/**
 * `ledger replay --workers` (issue 13): the replay partitioned across worker threads prints what the
 * one-partition replay prints (whole log and bounded; both equal the sequential runner's rows byte for
 * byte: libs/projections/src/runner/properties.int.spec.ts), and a worker count outside 1..16 is a usage
 * error.
 */
import { demoLedgerTemplate, runLedger } from '../testing/cli-harness';

jest.setTimeout(300_000);

/** The JSON summary without its timing. */
async function replayed(dataDir: string, args: readonly string[]): Promise<unknown> {
  const run = await runLedger(dataDir, ['replay', '--json', ...args]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const { durationMs: _timing, ...summary } = JSON.parse(run.stdout) as Record<string, unknown>;
  return summary;
}

describe('ledger replay --workers', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = (await demoLedgerTemplate(30)).copy();
  });

  it('prints the same summary with 1, 2 and 3 workers, for the whole log and up to a position', async () => {
    const sequential = await replayed(dataDir, ['--workers', '1']);
    expect(await replayed(dataDir, ['--workers', '2'])).toEqual(sequential);
    expect(await replayed(dataDir, ['--workers', '3'])).toEqual(sequential);
    // Without --workers: the machine's cores, at most 2 (replayWorkersDefault).
    expect(await replayed(dataDir, [])).toEqual(sequential);
    const bounded = await replayed(dataDir, ['--workers', '1', '--until-position', '700']);
    expect((bounded as { position: string }).position).toBe('700');
    expect(await replayed(dataDir, ['--workers', '2', '--until-position', '700'])).toEqual(bounded);
  });

  it('refuses a worker count outside 1..16 as a usage error, before reading the ledger', async () => {
    for (const workers of ['0', '17', 'two']) {
      const run = await runLedger(dataDir, ['replay', '--workers', workers]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--workers');
    }
  });
});
