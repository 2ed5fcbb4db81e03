/**
 * The sealing key pair. Generated into the data dir on first use (private key mode 0600, like the JWT
 * secret), or read from `--key <file>`. The private key never leaves the machine that seals; checkpoints
 * carry the public key.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SEAL_PRIVATE_KEY_FILE = 'audit-seal-ed25519.pem';
export const SEAL_PUBLIC_KEY_FILE = 'audit-seal-ed25519.pub.pem';

export interface SealKey {
  readonly privateKey: KeyObject;
  readonly path: string;
  readonly created: boolean;
}

/** Loads the key at `explicitPath`, or the data dir's key, creating the latter when it is missing. */
export function loadOrCreateSealKey(dataDir: string, explicitPath?: string): SealKey {
  if (explicitPath !== undefined) {
    if (!existsSync(explicitPath)) throw new Error(`seal key file not found: ${explicitPath}`);
    return { privateKey: readEd25519PrivateKey(explicitPath), path: explicitPath, created: false };
  }
  const path = join(dataDir, SEAL_PRIVATE_KEY_FILE);
  if (existsSync(path)) return { privateKey: readEd25519PrivateKey(path), path, created: false };
  mkdirSync(dirname(path), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // 'wx' so that two concurrent first seals cannot overwrite each other's key.
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
    flag: 'wx',
  });
  writeFileSync(
    join(dataDir, SEAL_PUBLIC_KEY_FILE),
    publicKey.export({ type: 'spki', format: 'pem' }),
    { mode: 0o644 },
  );
  return { privateKey, path, created: true };
}

function readEd25519PrivateKey(path: string): KeyObject {
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 private key`);
  return key;
}
