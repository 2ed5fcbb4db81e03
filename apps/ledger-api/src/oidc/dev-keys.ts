/**
 * The embedded provider's signing key and cookie keys: generated once into `<dataDir>/oidc-dev-keys.json`
 * (mode 0600), like the jwt-secret (libs/auth/src/secret-file.ts), so tokens and sessions survive a restart
 * and no key is hard-coded or shared between installs.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';

export const DEV_OIDC_KEYS_FILE = 'oidc-dev-keys.json';

export interface DevOidcKeys {
  readonly file: string;
  /** The private signing key(s), as the provider's `jwks` configuration wants them. */
  readonly privateJwks: { keys: JWK[] };
  /** The same keys without their private parts: what the API verifies with. */
  readonly publicJwks: JSONWebKeySet;
  readonly cookieKeys: string[];
}

const PUBLIC_RSA_MEMBERS = ['kty', 'kid', 'alg', 'use', 'n', 'e'] as const;

export function readOrCreateDevOidcKeys(dataDir: string): DevOidcKeys {
  const file = join(dataDir, DEV_OIDC_KEYS_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two processes starting together cannot overwrite each other.
    writeFileSync(file, `${JSON.stringify(generate())}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys?: JWK[]; cookieKeys?: string[] };
  if (
    !Array.isArray(stored.keys) ||
    stored.keys.length === 0 ||
    !Array.isArray(stored.cookieKeys) ||
    stored.cookieKeys.length === 0
  ) {
    throw new Error(`${file} holds no usable keys: delete it to have new ones generated`);
  }
  const publicKeys = stored.keys.map(
    (key) =>
      Object.fromEntries(
        PUBLIC_RSA_MEMBERS.filter((member) => key[member] !== undefined).map((member) => [
          member,
          key[member],
        ]),
      ) as JWK,
  );
  return {
    file,
    privateJwks: { keys: stored.keys },
    publicJwks: { keys: publicKeys },
    cookieKeys: stored.cookieKeys,
  };
}

function generate(): { keys: JWK[]; cookieKeys: string[] } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = randomBytes(8).toString('hex');
  return {
    keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }],
    cookieKeys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
  };
}
