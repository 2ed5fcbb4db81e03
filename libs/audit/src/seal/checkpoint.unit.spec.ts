import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHECKPOINT_FORMAT,
  checkpointSignatureValid,
  parseCheckpoint,
  signCheckpoint,
  type CheckpointBody,
} from './checkpoint';
import { loadOrCreateSealKey, SEAL_PRIVATE_KEY_FILE } from './seal-keys';

const body: CheckpointBody = {
  format: CHECKPOINT_FORMAT,
  position: '42',
  eventCount: 42,
  merkleRoot: 'ab'.repeat(32),
  sealedAt: '2025-01-01T00:00:00.000Z',
};

describe('signed checkpoints', () => {
  const { privateKey } = generateKeyPairSync('ed25519');

  it('verifies with the public key it carries, after a JSON round trip', () => {
    const checkpoint = parseCheckpoint(JSON.stringify(signCheckpoint(body, privateKey)));
    expect(checkpoint.algorithm).toBe('Ed25519');
    expect(checkpointSignatureValid(checkpoint)).toBe(true);
  });

  it.each([
    ['merkleRoot', { merkleRoot: 'cd'.repeat(32) }],
    ['eventCount', { eventCount: 41 }],
    ['position', { position: '43' }],
    ['sealedAt', { sealedAt: '2026-01-01T00:00:00.000Z' }],
  ])('fails when %s is edited after signing', (_field, change) => {
    const checkpoint = { ...signCheckpoint(body, privateKey), ...change };
    expect(checkpointSignatureValid(checkpoint)).toBe(false);
  });

  it('fails when re-signed body is paired with another key', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = {
      ...signCheckpoint(body, privateKey),
      signature: signCheckpoint(body, other).signature,
    };
    expect(checkpointSignatureValid(forged)).toBe(false);
  });

  it('refuses a file of another format', () => {
    expect(() => parseCheckpoint('{"format":"other"}')).toThrow(/format/);
    expect(() => parseCheckpoint('[]')).toThrow(/invalid checkpoint/);
  });

  it('creates the key pair once in the data dir with a private mode, then reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seal-key-'));
    const first = loadOrCreateSealKey(dataDir);
    const second = loadOrCreateSealKey(dataDir);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(statSync(join(dataDir, SEAL_PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(signCheckpoint(body, second.privateKey).publicKey).toBe(
      signCheckpoint(body, first.privateKey).publicKey,
    );
  });
});
