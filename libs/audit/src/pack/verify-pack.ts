/**
 * `ledger verify-pack PACK` (issue 18 part 4): the pack's files against its manifest (SHA-256 and size),
 * the checkpoint's signature and Merkle root against the ledger, and every other file against the same file
 * rebuilt from the ledger now (build-pack.ts is deterministic, so any difference is a change).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { EventStore } from '@hz/event-store';
import { checkpointSignatureValid, type Checkpoint } from '../seal/checkpoint';
import { CheckpointCheck } from '../seal/seal-log';
import { scanLog } from '../log/scan-log';
import { BoundedLog } from '../replay/bounded-log';
import {
  buildAuditPack,
  PACK_FORMAT,
  PACK_MANIFEST,
  sha256OfBytes,
  type PackManifest,
} from './build-pack';

export interface PackProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
}

/** `read` gives a file of the pack by name (undefined when missing). */
export async function verifyAuditPack(
  store: EventStore,
  read: (name: string) => Buffer | undefined,
): Promise<PackProblem[]> {
  const problems: PackProblem[] = [];
  const manifestBytes = read(PACK_MANIFEST);
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(manifestBytes?.toString('utf8') ?? '') as PackManifest;
    if (manifest.format !== PACK_FORMAT || !/^[0-9]+$/.test(manifest.untilPosition))
      throw new Error('not a pack manifest');
  } catch {
    return [
      { file: PACK_MANIFEST, code: 'PACK.MANIFEST_INVALID', message: 'no readable manifest' },
    ];
  }
  for (const entry of manifest.files) {
    const bytes = read(entry.name);
    if (bytes === undefined)
      problems.push({ file: entry.name, code: 'PACK.FILE_MISSING', message: 'listed, not found' });
    else if (sha256OfBytes(bytes) !== entry.sha256 || bytes.length !== entry.bytes)
      problems.push({
        file: entry.name,
        code: 'PACK.FILE_CHANGED',
        message: `SHA-256 ${sha256OfBytes(bytes)}, the manifest says ${entry.sha256}`,
      });
  }
  const checkpointBytes = read('checkpoint.json');
  if (checkpointBytes !== undefined) problems.push(...(await checkSeal(store, checkpointBytes)));
  // The other files, rebuilt from the ledger with a throw-away key (the seal is checked above).
  const { privateKey } = generateKeyPairSync('ed25519');
  const rebuilt = await buildAuditPack(store, {
    period: manifest.period,
    privateKey,
    untilPosition: BigInt(manifest.untilPosition),
  });
  for (const entry of manifest.files) {
    if (entry.name === 'checkpoint.json') continue;
    const again = rebuilt.files.get(entry.name);
    if (again === undefined || sha256OfBytes(again) !== entry.sha256)
      problems.push({
        file: entry.name,
        code: 'PACK.LEDGER_DIFFERS',
        message: 'the ledger rebuilds this file with other bytes',
      });
  }
  return problems;
}

async function checkSeal(store: EventStore, bytes: Buffer): Promise<PackProblem[]> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(bytes.toString('utf8')) as Checkpoint;
  } catch {
    return [{ file: 'checkpoint.json', code: 'PACK.CHECKPOINT_INVALID', message: 'not JSON' }];
  }
  if (!checkpointSignatureValid(checkpoint))
    return [
      { file: 'checkpoint.json', code: 'CHECKPOINT.SIGNATURE_INVALID', message: 'bad signature' },
    ];
  const check = new CheckpointCheck(checkpoint);
  await scanLog(new BoundedLog(store, { untilPosition: BigInt(checkpoint.position) }), (event) =>
    check.visit(event),
  );
  return check
    .findings()
    .map((finding) => ({ file: 'checkpoint.json', code: finding.code, message: finding.message }));
}
