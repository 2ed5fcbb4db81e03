/**
 * The embedded default's signing secret: generated once into `<dataDir>/jwt-secret` (mode 0600) and
 * reused by the server and the CLI, so that no secret is ever hard-coded or shared between installs.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { securePrivateDataDir } from '@hz/event-store';
import { MIN_SECRET_BYTES } from './token';

export const JWT_SECRET_FILE = 'jwt-secret';

export interface SecretFileResult {
  readonly secret: string;
  readonly file: string;
  readonly created: boolean;
}

export function readOrCreateJwtSecret(dataDir: string): SecretFileResult {
  const file = join(dataDir, JWT_SECRET_FILE);
  // Owner only: the directory 0700 and its files 0600, whatever an earlier install left (one log line if changed).
  securePrivateDataDir(dataDir);
  try {
    // 'wx' fails if the file exists, so two processes starting together cannot overwrite each other.
    writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    return { secret: readSecret(file), file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Someone widened the permissions by hand: tighten them again rather than run with a readable key.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return { secret: readSecret(file), file, created: false };
}

function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES)
    throw new Error(`${file} holds a secret shorter than ${MIN_SECRET_BYTES} bytes`);
  return secret;
}
