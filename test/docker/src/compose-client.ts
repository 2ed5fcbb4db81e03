/**
 * Finds a Compose client to validate the compose files with: the Docker CLI plugin (`docker compose`)
 * or the standalone `docker-compose` (Debian's package). Neither needs a running Docker engine for
 * `config`, which only parses, interpolates and validates.
 */
import { spawnSync } from 'node:child_process';

export interface ComposeClient {
  readonly command: string;
  readonly prefix: readonly string[];
  readonly version: string;
}

const CANDIDATES: readonly ComposeClient[] = [
  { command: 'docker', prefix: ['compose'], version: '' },
  { command: 'docker-compose', prefix: [], version: '' },
];

export function findComposeClient(): ComposeClient | undefined {
  for (const candidate of CANDIDATES) {
    const probe = spawnSync(candidate.command, [...candidate.prefix, 'version'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (probe.status === 0)
      return { ...candidate, version: probe.stdout.split('\n')[0]?.trim() ?? '' };
  }
  return undefined;
}

export interface ComposeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `compose -f FILE config -q` with exactly the given environment (plus PATH and HOME). */
export function composeConfig(
  client: ComposeClient,
  file: string,
  env: Readonly<Record<string, string>>,
): ComposeRun {
  const result = spawnSync(client.command, [...client.prefix, '-f', file, 'config', '-q'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
