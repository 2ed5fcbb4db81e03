import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from './factory';
import { testEvent } from './testing/fixtures';
import {
  createPrivateFile,
  describePermissionChanges,
  securePrivateDataDir,
  tightenDataDir,
} from './private-files';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('private data directory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hz-private-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('tightens an existing 0755 directory and its 0644 files, names each change, and leaves symlinks and subdirectories alone', () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const name of [
      'ledger.db',
      'ledger.db-wal',
      'ledger.db-shm',
      'read-models.db',
      'idempotency.db',
      'jwt-secret',
    ]) {
      writeFileSync(join(dir, name), 'x');
      chmodSync(join(dir, name), 0o644);
    }
    writeFileSync(join(root, 'outside'), 'x');
    chmodSync(join(root, 'outside'), 0o644);
    symlinkSync(join(root, 'outside'), join(dir, 'link'));
    mkdirSync(join(dir, 'checkpoints'), { mode: 0o755 });
    chmodSync(join(dir, 'checkpoints'), 0o755);
    const lines: string[] = [];
    const changes = securePrivateDataDir(dir, (line) => lines.push(line));
    expect(modeOf(dir)).toBe(0o700);
    for (const name of [
      'ledger.db',
      'ledger.db-wal',
      'ledger.db-shm',
      'read-models.db',
      'idempotency.db',
      'jwt-secret',
    ])
      expect(modeOf(join(dir, name))).toBe(0o600);
    expect(modeOf(join(root, 'outside'))).toBe(0o644); // not followed through the link
    expect(changes).toHaveLength(7);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^data dir ${dir}: permissions tightened \\(owner only\\): ${dir} 0755 -> 0700, `),
    );
    for (const name of [
      'ledger.db',
      'ledger.db-wal',
      'ledger.db-shm',
      'read-models.db',
      'idempotency.db',
      'jwt-secret',
    ])
      expect(lines[0]).toContain(`${name} 0644 -> 0600`);
    // A second start finds nothing to change and says nothing.
    expect(securePrivateDataDir(dir, (line) => lines.push(line))).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it('creates a missing directory 0700 and a file 0600, and leaves an already private directory unchanged', () => {
    const dir = join(root, 'a', 'b');
    expect(tightenDataDir(dir)).toEqual([]);
    expect(modeOf(dir)).toBe(0o700);
    createPrivateFile(join(dir, 'x.db'));
    expect(modeOf(join(dir, 'x.db'))).toBe(0o600);
    expect(describePermissionChanges(dir, [])).toBeUndefined();
  });

  it('opens the embedded store with ledger.db and its -wal/-shm files 0600 in a 0700 directory, whatever the umask left', async () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const store = await createEventStore({ kind: 'sqlite', file: join(dir, 'ledger.db') });
    try {
      await store.appendToStream('applicant-1', [testEvent('private')], {
        expectedRevision: 'no_stream',
      });
      expect(modeOf(dir)).toBe(0o700);
      const files = readdirSync(dir);
      expect(files).toEqual(
        expect.arrayContaining(['ledger.db', 'ledger.db-wal', 'ledger.db-shm']),
      );
      for (const name of files)
        expect({ name, mode: modeOf(join(dir, name)).toString(8) }).toEqual({ name, mode: '600' });
    } finally {
      await store.close();
    }
  });
});
