// The walk of a claim (docs/architecture.md, "Walk of a claim"): every source file of ours that runs at
// least one function while one POST /api/v1/claims goes from the HTTP request to the projection. V8
// precise coverage (function level) is taken around one submission on a warmed-up in-process ledger-api
// (SQLite in a temp dir, projector in-process), so module loading and start-up are not counted.
//
//   node -r @swc-node/register scripts/walk-of-a-claim.ts              one file per line, then the count
//   node -r @swc-node/register scripts/walk-of-a-claim.ts --markdown   the same by project, as the list
//                                                                      in docs/architecture.md
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintToken } from '@hz/auth';
import { usccFromPrefix } from '@hz/ledger';
import { loadConfig, startServer } from '../apps/ledger-api/src';

const root = resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'walk-of-a-claim-'));
  const config = loadConfig({
    PATH: process.env['PATH'],
    PORT: '0',
    LEDGER_HOST: '127.0.0.1',
    LEDGER_DATA_DIR: dataDir,
  });
  const server = await startServer(config, { logLevels: ['error'] });
  const secret = server.jwtSecret as string;
  const post = async (token: string, path: string, body: unknown, key: string) => {
    const reply = await fetch(`${server.apiUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    if (reply.status >= 300) throw new Error(`${path}: ${reply.status} ${await reply.text()}`);
  };
  const admin = await mintToken({ sub: 'admin-1', roles: ['admin'], secret, ttl: 3600 });
  const applicantToken = (uscc: string) =>
    mintToken({ sub: `user-${uscc}`, roles: ['applicant'], applicant: uscc, secret, ttl: 3600 });
  const claim = (uscc: string) => ({
    applicant: uscc,
    programCode: 'c1-platform',
    supportYear: 2024,
    requestedAmount: '1000.00',
    evidence: { platformName: 'HZ Mall' },
  });
  // Warm-up: one applicant and one claim through the whole path, so lazy first uses are not counted.
  const [warm, walked] = [usccFromPrefix('91330106MA2C00001'), usccFromPrefix('91330106MA2C00002')];
  await post(admin, '/applicants', { uscc: warm, name: 'Warm-up Co', district: 'xihu' }, 'w-1');
  await post(await applicantToken(warm), '/claims', claim(warm), 'w-2');
  await post(admin, '/applicants', { uscc: walked, name: 'Walk Co', district: 'xihu' }, 'r-1');
  const token = await applicantToken(walked);
  await sleep(1500);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await session.post('Profiler.takePreciseCoverage'); // resets the counts
  await post(token, '/claims', claim(walked), 'c-1');
  await sleep(1500); // the in-process projector commits the claim's events meanwhile
  const { result } = (await session.post('Profiler.takePreciseCoverage')) as unknown as {
    result: Array<{ url: string; functions: Array<{ ranges: Array<{ count: number }> }> }>;
  };
  session.disconnect();
  const prefix = `file://${root}/`;
  const files = result
    .filter(({ url }) => url.startsWith(prefix) && !url.includes('/node_modules/'))
    .filter(({ url }) => /^(libs|apps)\//.test(url.slice(prefix.length)))
    .filter(({ functions }) => functions.some((fn) => (fn.ranges[0]?.count ?? 0) > 0))
    .map(({ url }) => url.slice(prefix.length))
    .sort();
  const projectOf = (file: string) => file.split('/').slice(0, 2).join('/');
  const projects = [...new Set(files.map(projectOf))];
  const listing = process.argv.includes('--markdown')
    ? projects.map((project) => {
        const own = files.filter((file) => projectOf(file) === project);
        const names = own.map((file) => `\`${file.slice(project.length + '/src/'.length)}\``);
        return `- ${project} (${own.length}): ${names.join(', ')}`;
      })
    : files;
  process.stdout.write(
    `${listing.join('\n')}\n${files.length} files in ${projects.length} projects\n`,
  );
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
