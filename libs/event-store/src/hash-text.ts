/**
 * The text an event's hash is taken over (docs/architecture.md §2, invariant 7), assembled from
 * already-canonical data and metadata (without hash) texts. The keys below are in sorted order, which
 * makes the assembled text exactly canonicalJson of the hashed object. Its own file so that the light
 * entry point (./rows-entry.ts) and ./hash-chain.ts share one assembly; hashCanonicalParts hashes it.
 */
export interface HashedHeader {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
}

export function canonicalPartsText(
  event: HashedHeader,
  dataText: string,
  metadataWithoutHashText: string,
): string {
  // The revision is a decimal string: JSON numbers cannot carry a bigint, and a string is unambiguous across languages.
  return (
    `{"data":${dataText},"id":${JSON.stringify(event.id)},"metadata":${metadataWithoutHashText},` +
    `"revision":"${event.revision.toString()}","streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)}}`
  );
}
