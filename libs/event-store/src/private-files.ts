/**
 * The data directory holds the ledger (ledger.db), the read models, the idempotency records, the JWT
 * signing secret and the sealing key: owner only, whatever the umask or an earlier install left behind
 * (docs/decisions.md, "HTTP edge"). One helper, called wherever the embedded store is opened (the
 * event-store factory, the read-store opener, ledger-api's start-up), so the API, the projector and the
 * CLI all tighten the same way:
 * - the directory becomes 0700 (created so, or chmod-ed when group or others had any access);
 * - every regular file directly in it becomes 0600 (symbolic links are left alone, never followed);
 * - a database file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the
 *   mode of the database file, so no file of the store is ever readable by others, even for a moment.
 */
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  type Stats,
} from 'node:fs';
import { basename, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export interface PermissionChange {
  /** Path of the directory or file. */
  readonly path: string;
  readonly from: number;
  readonly to: number;
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function tightenOne(path: string, stats: Stats, mode: number, changes: PermissionChange[]): void {
  if ((stats.mode & 0o077) === 0) return;
  chmodSync(path, mode);
  changes.push({ path, from: stats.mode & 0o777, to: mode });
}

/** Creates `dir` 0700 if missing; otherwise tightens it and its files. Returns what it changed. */
export function tightenDataDir(dir: string): PermissionChange[] {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const changes: PermissionChange[] = [];
  tightenOne(dir, lstatSync(dir), PRIVATE_DIR_MODE, changes);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      continue; // removed meanwhile (a -wal file at checkpoint)
    }
    if (stats.isFile()) tightenOne(path, stats, PRIVATE_FILE_MODE, changes);
  }
  return changes;
}

/** Creates `file` empty with mode 0600 unless it exists (an empty file is a valid new SQLite database). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** One log line naming what changed, or undefined when nothing did. */
export function describePermissionChanges(
  dir: string,
  changes: readonly PermissionChange[],
): string | undefined {
  if (changes.length === 0) return undefined;
  const items = changes.map(
    (change) =>
      `${change.path === dir ? dir : basename(change.path)} ${octal(change.from)} -> ${octal(change.to)}`,
  );
  return `data dir ${dir}: permissions tightened (owner only): ${items.join(', ')}`;
}

/**
 * Where the one line goes by default: standard error, as a JSON line in the shape of the service's
 * pino logs (docs/operations.md), so an operator's log pipeline never meets a plain-text line.
 */
export type PermissionLog = (line: string) => void;
const toStderr: PermissionLog = (line) =>
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', time: Date.now(), component: 'data-dir', event: 'permissions.tightened', msg: line })}\n`,
  );

/**
 * Tightens `dir` (see above), logs one line when anything changed, and returns the changes. Called before
 * a store opens, and again after, for the files the open created.
 */
export function securePrivateDataDir(
  dir: string,
  log: PermissionLog = toStderr,
): PermissionChange[] {
  const changes = tightenDataDir(dir);
  const line = describePermissionChanges(dir, changes);
  if (line !== undefined) log(line);
  return changes;
}

/** Opening an embedded database file: the directory tightened, the file created 0600 first. */
export function prepareEmbeddedFile(file: string, dir: string, log?: PermissionLog): void {
  securePrivateDataDir(dir, log);
  createPrivateFile(file);
}

/** True for SQLite paths that are not files on disk (`:memory:`, `file:` URIs). */
export function isInMemorySqlite(file: string): boolean {
  return file === ':memory:' || file === '' || file.startsWith('file:');
}
