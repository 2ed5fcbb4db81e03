/**
 * The embedded default's JWT secret: LEDGER_JWT_SECRET, else `<dataDir>/jwt-secret`, the file the app
 * writes on first start. The CLI creates it the same way when it is missing (32 random bytes as hex,
 * mode 0600), so `ledger token` works before the service ever ran.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { givenText, type Environment } from '@hz/config';

export const JWT_SECRET_FILE = 'jwt-secret';

export interface JwtSecret {
  readonly secret: string;
  readonly source: 'env' | 'file' | 'created';
  readonly path?: string;
}

export function resolveJwtSecret(
  env: Environment,
  dataDir: string,
  options: { create: boolean },
): JwtSecret | undefined {
  const fromEnv = givenText(env, 'LEDGER_JWT_SECRET');
  if (fromEnv !== undefined) return { secret: fromEnv, source: 'env' };
  const path = join(dataDir, JWT_SECRET_FILE);
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), source: 'file', path };
  if (!options.create) return undefined;
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if the service created the file a moment ago, keep its secret rather than overwrite it.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return { secret: readFileSync(path, 'utf8').trim(), source: 'created', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: readFileSync(path, 'utf8').trim(), source: 'file', path };
  }
}
