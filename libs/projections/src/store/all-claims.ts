/** Reading the whole claim queue through the ReadStore port (docs/architecture.md, read models). */
import type { ClaimSummary } from '../model/rows';
import type { ReadStoreReader } from './read-store';

/** Every claim summary the reader serves, page by page on the keyset cursor, in submission order. */
export async function* allClaims(
  reader: Pick<ReadStoreReader, 'listClaims'>,
  pageSize = 1000,
): AsyncGenerator<ClaimSummary> {
  let afterSubmittedPosition: bigint | undefined;
  for (;;) {
    const page = await reader.listClaims({ limit: pageSize, afterSubmittedPosition });
    yield* page.items;
    if (page.nextAfter === null) return;
    afterSubmittedPosition = page.nextAfter;
  }
}
