import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateJwtSecret } from './secret-file';

describe('the embedded JWT secret file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hz-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once with 0600 permissions and then reused', () => {
    const first = readOrCreateJwtSecret(join(dir, 'data'));
    expect(first.created).toBe(true);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const second = readOrCreateJwtSecret(join(dir, 'data'));
    expect(second).toEqual({ ...first, created: false });
  });
});
