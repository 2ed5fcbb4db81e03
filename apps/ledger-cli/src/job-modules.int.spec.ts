/**
 * A whole-ledger job's process loads its own command module only (main.ts JOB_COMMANDS, issue 13:
 * docs/benchmarks.md "Start-up of a job"): not NestJS, which only the other commands bring. The entry
 * point runs as users start it (from the sources under swc), with a preloaded probe that writes, at each
 * process's exit, whether @nestjs/core was loaded and how many modules were.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120_000);

const MAIN = resolve(__dirname, 'main.ts');

interface Probe {
  readonly args: string;
  readonly modules: number;
  readonly nest: boolean;
}

/** Runs `ledger <args>` and returns the probe of every process it started (the job process last). */
function probed(args: readonly string[]): Probe[] {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-job-modules-'));
  const out = join(dir, 'probes.jsonl');
  const probe = join(dir, 'probe.js');
  writeFileSync(
    probe,
    `process.on('exit', () => {
      const loaded = Object.keys(require.cache);
      require('node:fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify({
        args: process.argv.slice(2).join(' '),
        modules: loaded.length,
        nest: loaded.some((path) => path.includes('/@nestjs/core/')),
      }) + '\\n');
    });\n`,
  );
  const run = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', '-r', probe, MAIN, ...args],
    { env: { ...process.env, LEDGER_DATA_DIR: dir }, encoding: 'utf8' },
  );
  expect(run.status).toBe(0);
  return readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Probe);
}

describe('the modules a command loads', () => {
  it.each(['replay', 'verify', 'seal', 'export'])('`%s --help` loads no NestJS', (job) => {
    const probes = probed([job, '--help']);
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) expect(probe).toMatchObject({ nest: false });
  });

  it('the overview and the other commands still load every command', () => {
    const [overview] = probed(['--help']);
    expect(overview).toMatchObject({ nest: true });
    const [token] = probed(['token', '--help']);
    expect(token).toMatchObject({ nest: true });
  });
});
