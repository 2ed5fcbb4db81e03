/**
 * Signed checkpoints of the log (issue 7, `seal`). A checkpoint commits to the first `eventCount` events
 * (up to `position`) through a Merkle root over their hashes, signed with Ed25519. An attacker who edits an
 * event and recomputes every hash chain consistently still changes the root, and cannot re-sign it
 * without the private key, so a checkpoint kept by the auditor catches a rewritten history.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const CHECKPOINT_FORMAT = 'hz-ledger-checkpoint/v1';

export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Global position of the last sealed event, as a decimal string (positions are bigints). */
  readonly position: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
  /** When the seal was made (ISO-8601, wall clock of the sealing machine). */
  readonly sealedAt: string;
}

export interface Checkpoint extends CheckpointBody {
  readonly algorithm: 'Ed25519';
  /** SPKI DER, base64: the checkpoint carries its own public key so it can be checked anywhere. */
  readonly publicKey: string;
  /** First 16 hex digits of SHA-256 over the SPKI DER: a short name to compare keys by eye. */
  readonly keyId: string;
  /** Ed25519 signature (base64) over `checkpointMessage(body)`. */
  readonly signature: string;
}

/**
 * The signed bytes are a fixed line format rather than JSON, so that no serializer quirk (key order,
 * number formatting) can make a valid checkpoint fail or two bodies share a signature.
 */
export function checkpointMessage(body: CheckpointBody): Buffer {
  const lines = [
    body.format,
    `position=${body.position}`,
    `eventCount=${body.eventCount}`,
    `merkleRoot=${body.merkleRoot}`,
    `sealedAt=${body.sealedAt}`,
  ];
  return Buffer.from(lines.join('\n'), 'utf8');
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  const publicKey = createPublicKey(privateKey);
  const signature = sign(null, checkpointMessage(body), privateKey).toString('base64');
  return {
    ...body,
    algorithm: 'Ed25519',
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyId: keyIdOf(publicKey),
    signature,
  };
}

export function publicKeyOfCheckpoint(checkpoint: Checkpoint): KeyObject {
  return createPublicKey({
    key: Buffer.from(checkpoint.publicKey, 'base64'),
    format: 'der',
    type: 'spki',
  });
}

/** True when the signature over the body verifies with the key the checkpoint names. */
export function checkpointSignatureValid(checkpoint: Checkpoint): boolean {
  try {
    const body = checkpointBody(checkpoint);
    return verify(
      null,
      checkpointMessage(body),
      publicKeyOfCheckpoint(checkpoint),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

export function checkpointBody(checkpoint: CheckpointBody): CheckpointBody {
  return {
    format: checkpoint.format,
    position: checkpoint.position,
    eventCount: checkpoint.eventCount,
    merkleRoot: checkpoint.merkleRoot,
    sealedAt: checkpoint.sealedAt,
  };
}

/** Parses a checkpoint file's JSON, refusing anything that is not exactly this format (a usage error). */
export function parseCheckpoint(text: string): Checkpoint {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null)
    throw new CheckpointFormatError('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record['format'] !== CHECKPOINT_FORMAT)
    throw new CheckpointFormatError(`format must be ${CHECKPOINT_FORMAT}`);
  for (const field of [
    'position',
    'merkleRoot',
    'sealedAt',
    'publicKey',
    'keyId',
    'signature',
  ] as const) {
    if (typeof record[field] !== 'string')
      throw new CheckpointFormatError(`${field} must be a string`);
  }
  if (!/^[0-9]+$/.test(record['position'] as string))
    throw new CheckpointFormatError('position must be a decimal integer');
  if (!Number.isSafeInteger(record['eventCount']) || (record['eventCount'] as number) < 0)
    throw new CheckpointFormatError('eventCount must be a non-negative integer');
  if (record['algorithm'] !== 'Ed25519')
    throw new CheckpointFormatError('algorithm must be Ed25519');
  return record as unknown as Checkpoint;
}

export class CheckpointFormatError extends Error {
  constructor(why: string) {
    super(`invalid checkpoint file: ${why}`);
    this.name = 'CheckpointFormatError';
  }
}
