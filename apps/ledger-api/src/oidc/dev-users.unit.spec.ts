import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEMO_APPLICANT_USCC,
  DEMO_OTHER_APPLICANT_USCC,
  DEV_PASSWORD,
  DEV_USERS,
} from './dev-users';
import { readOrCreateDevOidcKeys } from './dev-keys';

describe('the embedded provider’s users and keys', () => {
  it('seeds every role, two reviewers (countersigning) and two applicants of the demo', () => {
    const byRole = (role: string) =>
      DEV_USERS.filter((user) => user.roles.includes(role as never)).map((user) => user.sub);
    expect(byRole('reviewer')).toHaveLength(2);
    for (const role of ['finance', 'auditor', 'admin']) expect(byRole(role)).toHaveLength(1);
    expect(
      DEV_USERS.filter((user) => user.roles.includes('applicant')).map((user) => user.applicant),
    ).toEqual([DEMO_APPLICANT_USCC, DEMO_OTHER_APPLICANT_USCC]);
  });

  it('npm start prints the same users and password (scripts/start.mjs)', () => {
    const start = readFileSync(resolve(__dirname, '../../../../scripts/start.mjs'), 'utf8');
    for (const user of DEV_USERS) expect(start).toContain(user.sub);
    for (const uscc of [DEMO_APPLICANT_USCC, DEMO_OTHER_APPLICANT_USCC])
      expect(start).toContain(uscc);
    expect(start).toContain(`password for all: ${DEV_PASSWORD}`);
  });

  it('generates the signing and cookie keys once into the data dir, owner-only, and reuses them', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hz-oidc-keys-'));
    try {
      const first = readOrCreateDevOidcKeys(dataDir);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      const again = readOrCreateDevOidcKeys(dataDir);
      expect(again.privateJwks).toEqual(first.privateJwks);
      expect(again.cookieKeys).toEqual(first.cookieKeys);
      // What the API verifies with carries no private member.
      expect(Object.keys(first.publicJwks.keys[0] ?? {}).sort()).toEqual([
        'alg',
        'e',
        'kid',
        'kty',
        'n',
        'use',
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
