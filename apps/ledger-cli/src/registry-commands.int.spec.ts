/**
 * `ledger commands` lists the command registry; `ledger command` runs any registered command through
 * LedgerService on the configured store (docs/architecture.md §2 "Commands"), refusals included.
 */
import { openSqliteEventStore } from '@hz/event-store';
import { applicantStreamId, COMMAND_TYPES, usccFromPrefix } from '@hz/ledger';
import { freshDataDir, runLedger } from './testing/cli-harness';
import { ledgerFile } from './testing/ledger-surgery';

describe('ledger commands', () => {
  it('lists every registered command with its roles, stream and HTTP route', async () => {
    const run = await runLedger(freshDataDir('commands'), ['commands']);
    expect(run.code).toBe(0);
    for (const type of COMMAND_TYPES) expect(run.stdout).toContain(`${type}  roles: `);
    expect(run.stdout).toContain(
      'SubmitClaim  roles: applicant  stream: applicant-{uscc} by applicant',
    );
    expect(run.stdout).toContain('POST /api/v1/claims/:id/decisions → 200');
    expect(run.stdout).toContain(
      'data: claimId:claimId, outcome:choice, amount?:money, reasons:reasons',
    );
  });

  it('gives the same list as JSON', async () => {
    const run = await runLedger(freshDataDir('commands'), ['commands', '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{
      type: string;
      roles: string[];
      http: { path: string };
    }>;
    expect(rows.map((row) => row.type)).toEqual(COMMAND_TYPES);
    expect(rows.find((row) => row.type === 'DecideAllocationPlan')).toMatchObject({
      roles: ['finance'],
      http: { path: '/api/v1/allocation-plans' },
    });
  });
});

describe('ledger command', () => {
  const uscc = usccFromPrefix('91330106MA2C00001');

  it('runs a registered command on the store, and the same key replays it', async () => {
    const dataDir = freshDataDir('command');
    const args = [
      'command',
      '--type',
      'RegisterApplicant',
      '--as',
      'ops-1',
      '--key',
      'register-1',
      '--data',
      JSON.stringify({ uscc, name: '杭州测试有限公司', district: 'xihu' }),
    ];
    const first = await runLedger(dataDir, args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      replayed: false,
      result: { kind: 'applicant', uscc, applicant: { district: 'xihu' } },
    });
    const again = await runLedger(dataDir, args);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: true });

    const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
    try {
      const events = await store.readStream(applicantStreamId(uscc));
      expect(
        events.map((event) => [event.type, event.metadata.actor, event.metadata.role]),
      ).toEqual([['ApplicantRegistered', 'ops-1', 'admin']]);
    } finally {
      await store.close();
    }
  });

  it('refuses what the decider refuses (exit 1, the error on stderr) and records nothing', async () => {
    const dataDir = freshDataDir('command');
    const run = await runLedger(dataDir, [
      'command',
      '--type',
      'RegisterApplicant',
      '--role',
      'reviewer',
      '--data',
      JSON.stringify({ uscc, name: 'x', district: 'xihu' }),
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'ACCESS.ROLE_NOT_ALLOWED' } });
    const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
    try {
      expect(await store.headPosition()).toBe(0n);
    } finally {
      await store.close();
    }
  });

  it('is a usage error for an unknown type or data that is not a JSON object', async () => {
    const dataDir = freshDataDir('command');
    const unknown = await runLedger(dataDir, [
      'command',
      '--type',
      'DeleteEverything',
      '--data',
      '{}',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command type "DeleteEverything"');
    const notObject = await runLedger(dataDir, [
      'command',
      '--type',
      'RegisterApplicant',
      '--data',
      '[1]',
    ]);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('--data must be a JSON object');
  });
});
