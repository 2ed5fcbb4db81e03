/**
 * The per-stream SHA-256 hash chain (docs/architecture.md §2, invariant 7). Every stored event carries
 * `metadata.hash`, the hash of its own canonical JSON, and `metadata.prevHash`, the hash of the event
 * before it in the same stream. Editing, dropping, inserting or reordering a stored event breaks a link,
 * which `verifyStreamChain` (./chain-verifier) reports.
 */
import { canonicalJson, sha256Hex } from '@hz/kernel';
import { canonicalPartsText } from './hash-text';
import type { JsonObject, JsonValue } from './port';

/** The prevHash of revision 0: there is no previous event. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** What the hash covers. `metadata.hash` itself, if present, is left out; `metadata.prevHash` is covered. */
export interface HashableEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: { readonly [key: string]: JsonValue | undefined };
}

/** SHA-256 (lowercase hex) over canonical JSON of {streamId, revision (decimal string), id, type, data, metadata without hash}. */
export function computeEventHash(event: HashableEvent): string {
  const { hash: _ownHash, ...metadata } = event.metadata;
  return hashCanonicalParts(event, canonicalJson(event.data), canonicalJson(metadata));
}

/**
 * The same hash from already-canonical data and metadata (without hash) texts, so an append that needs
 * those texts for storage anyway does not canonicalise them twice. The keys below are in sorted order,
 * which makes the assembled text exactly canonicalJson of the hashed object.
 */
export function hashCanonicalParts(
  event: Pick<HashableEvent, 'streamId' | 'revision' | 'id' | 'type'>,
  dataText: string,
  metadataWithoutHashText: string,
): string {
  return sha256Hex(canonicalPartsText(event, dataText, metadataWithoutHashText));
}
