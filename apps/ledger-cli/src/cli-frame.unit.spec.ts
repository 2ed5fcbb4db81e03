/** The CLI frame: --help on every command, exit code 2 for usage errors, and the token command. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenVerifier } from '@hz/auth';
import { LEDGER_COMMANDS } from './commands';
import { EXIT_OK, EXIT_USAGE } from './cli-frame';
import { freshDataDir, runLedger } from './testing/cli-harness';

describe('ledger CLI frame', () => {
  it.each(LEDGER_COMMANDS.map((command) => command.name))(
    '%s --help prints its usage and exits 0',
    async (name) => {
      const run = await runLedger(freshDataDir('help'), [name, '--help']);
      expect(run.code).toBe(EXIT_OK);
      expect(run.stdout).toContain(`Usage: ledger ${name}`);
    },
  );

  it('lists every command with --help, and exits 2 without a command', async () => {
    const help = await runLedger(freshDataDir('help'), ['--help']);
    expect(help.code).toBe(EXIT_OK);
    for (const command of LEDGER_COMMANDS) expect(help.stdout).toContain(command.name);
    expect((await runLedger(freshDataDir('help'), [])).code).toBe(EXIT_USAGE);
  });

  it.each([
    [['frobnicate']],
    [['verify', '--no-such-flag']],
    [['replay', '--until-position', 'ten']],
    [['replay', '--as-of', 'yesterday']],
    [['demo', '--years', '2019-2020']],
    [['verify', '--checkpoint', '/nonexistent/checkpoint.json']],
  ])('exits 2 on a usage error: %j', async (args) => {
    const run = await runLedger(freshDataDir('usage'), args);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).not.toBe('');
  });

  it('exits 2 when there is no ledger to verify, saying where it looked', async () => {
    const dataDir = freshDataDir('empty');
    const run = await runLedger(dataDir, ['verify']);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(join(dataDir, 'ledger.db'));
  });
});

describe('ledger token', () => {
  it('creates the data-dir secret (mode 0600) on first use and mints a token the service accepts', async () => {
    const dataDir = freshDataDir('token');
    const run = await runLedger(dataDir, [
      'token',
      '--sub',
      'alice',
      '--role',
      'auditor',
      '--role',
      'finance',
      '--ttl',
      '1h',
    ]);
    expect(run.code).toBe(EXIT_OK);
    const secretFile = join(dataDir, 'jwt-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const user = await createTokenVerifier({ secret })(run.stdout.trim());
    expect(user).toEqual({ sub: 'alice', roles: ['auditor', 'finance'] });
  });

  it('prefers LEDGER_JWT_SECRET and refuses an applicant token without a valid USCC', async () => {
    const secret = 'x'.repeat(40);
    const run = await runLedger(
      freshDataDir('token'),
      ['token', '--sub', 'bob', '--role', 'reviewer'],
      { LEDGER_JWT_SECRET: secret },
    );
    expect((await createTokenVerifier({ secret })(run.stdout.trim())).sub).toBe('bob');
    expect(
      (await runLedger(freshDataDir('token'), ['token', '--sub', 'c', '--role', 'applicant'])).code,
    ).toBe(EXIT_USAGE);
    expect(
      (
        await runLedger(freshDataDir('token'), [
          'token',
          '--sub',
          'c',
          '--role',
          'applicant',
          '--applicant',
          'NOTAUSCC',
        ])
      ).code,
    ).toBe(EXIT_USAGE);
  });
});
