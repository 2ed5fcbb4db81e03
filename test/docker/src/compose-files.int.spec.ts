/**
 * Validates docker/: both compose files with a Compose client when one is installed (the test says
 * plainly when it is not), and, always, what can be checked without one: the services, the stores each
 * stack selects, and that every app the image is told to run exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeConfig, findComposeClient } from './compose-client';

const root = resolve(__dirname, '..', '..', '..');
const dockerDirectory = join(root, 'docker');
const composeFiles = ['compose.postgres.yml', 'compose.eventstoredb.yml'] as const;
const client = findComposeClient();

function read(name: string): string {
  return readFileSync(join(dockerDirectory, name), 'utf8');
}

describe('docker compose files', () => {
  if (client === undefined) {
    it('SKIPPED: compose validation — no `docker compose` or `docker-compose` client on this machine', () => {
      console.warn(
        'SKIPPED: compose validation — install a Compose client (e.g. apt-get install -y docker-compose) to run it',
      );
      expect(client).toBeUndefined();
    });
  } else {
    it.each(composeFiles)(`%s passes "config -q"`, (file) => {
      const run = composeConfig(client, join(dockerDirectory, file), {
        LEDGER_JWT_SECRET: 'compose-validation-only',
      });
      expect({
        file,
        client: client.version,
        status: run.status,
        stderr: run.stderr.trim(),
      }).toEqual({ file, client: client.version, status: 0, stderr: '' });
    });

    it.each(composeFiles)('%s refuses to start without LEDGER_JWT_SECRET', (file) => {
      const run = composeConfig(client, join(dockerDirectory, file), {});
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('LEDGER_JWT_SECRET');
    });
  }
});

describe('docker files without a client', () => {
  it('the image builds on node:20-bookworm-slim with npm ci and runs apps through @swc-node/register', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "-r", "@swc-node/register"]');
  });

  it('every app the image or a compose file runs exists', () => {
    const referenced = new Set<string>();
    for (const name of ['Dockerfile', ...composeFiles]) {
      for (const match of read(name).matchAll(/apps\/[a-z-]+\/src\/main\.ts/g))
        referenced.add(match[0]);
    }
    expect([...referenced].sort()).toEqual([
      'apps/ledger-api/src/main.ts',
      'apps/ledger-cli/src/main.ts',
      'apps/projector/src/main.ts',
    ]);
    for (const path of referenced) expect(existsSync(join(root, path))).toBe(true);
  });

  it('the PostgreSQL stack keeps events and read models in PostgreSQL, with two API replicas and two projectors', () => {
    const compose = read('compose.postgres.yml');
    expect(compose).toMatch(/LEDGER_EVENT_STORE: postgres/);
    expect(compose).toMatch(/LEDGER_READ_STORE: postgres/);
    expect(compose).toMatch(/DATABASE_URL: postgres:\/\//);
    expect(compose.match(/^ {2}ledger-api-\d:$/gm)).toHaveLength(2);
  });

  it.each(composeFiles)(
    '%s shares the rate limit in Redis, runs an active and a standby projector, and keeps metrics off the public port',
    (file) => {
      const compose = read(file);
      expect(compose).toMatch(/^ {2}redis:\n {4}image: redis:7-alpine$/m);
      expect(compose).toMatch(/^ {4}REDIS_URL: redis:\/\/redis:6379$/m);
      expect(compose.match(/^ {2}projector-\d:\n {4}<<: \*ledger-projector$/gm)).toHaveLength(2);
      expect(compose).toMatch(/LEDGER_PROJECTOR_LEASE_TTL_MS: /);
      expect(compose).toMatch(/^ {4}LEDGER_METRICS_PORT: "9464"$/m);
      expect(compose).not.toMatch(/9464:/);
    },
  );

  it('the EventStoreDB stack runs a 3-node cluster and reaches it through gossip seeds', () => {
    const compose = read('compose.eventstoredb.yml');
    expect(compose.match(/^ {2}esdb-\d:$/gm)).toHaveLength(3);
    expect(compose).toMatch(/image: eventstore\/eventstore:24\.10/);
    expect(compose).toMatch(/EVENTSTORE_CLUSTER_SIZE: "3"/);
    expect(compose).toMatch(
      /EVENTSTORE_CONNECTION_STRING: esdb:\/\/esdb-1:2113,esdb-2:2113,esdb-3:2113\?tls=false/,
    );
    expect(compose).toMatch(/LEDGER_READ_STORE: postgres/);
  });
});
