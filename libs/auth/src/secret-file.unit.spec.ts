import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('tightens a data dir left 0755 and files left 0644 by an earlier install, and says so in one line', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    chmodSync(data, 0o755);
    readOrCreateJwtSecret(data);
    chmodSync(join(data, 'jwt-secret'), 0o644);
    writeFileSync(join(data, 'ledger.db'), '');
    chmodSync(join(data, 'ledger.db'), 0o644);
    const written: string[] = [];
    const spy = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    try {
      readOrCreateJwtSecret(data);
    } finally {
      spy.mockRestore();
    }
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'ledger.db')).mode & 0o777).toBe(0o600);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/\n$/);
    const line = JSON.parse(written[0] as string) as { level: string; event: string; msg: string };
    expect(line).toMatchObject({ level: 'warn', event: 'permissions.tightened' });
    expect(line.msg).toMatch(
      /^data dir .*: permissions tightened \(owner only\): .*jwt-secret 0644 -> 0600/,
    );
  });
});
