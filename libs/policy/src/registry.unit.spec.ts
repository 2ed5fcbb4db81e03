// registerCatalog (docs/policy.md §11): a recorded policyId must name one catalog in this process.
import { HZ_CBEC_2023_AMENDED } from '../testing/amendment';
import { HZ_CBEC_2023 } from './catalogs/hz-cbec-2023';
import { getCatalog, listCatalogs, registerCatalog } from './registry';

describe('registerCatalog', () => {
  it('makes a new catalog known, and the same catalog again is a no-op', () => {
    registerCatalog(HZ_CBEC_2023_AMENDED);
    const count = listCatalogs().length;
    registerCatalog(HZ_CBEC_2023_AMENDED);
    expect(listCatalogs()).toHaveLength(count);
    expect(getCatalog(HZ_CBEC_2023_AMENDED.id)?.hash).toBe(HZ_CBEC_2023_AMENDED.hash);
  });

  it('refuses another catalog under an id already known', () => {
    const impostor = { ...HZ_CBEC_2023_AMENDED, id: HZ_CBEC_2023.id };
    expect(() => registerCatalog(impostor)).toThrow(
      `catalog ${HZ_CBEC_2023.id} is already known with another hash`,
    );
    expect(getCatalog(HZ_CBEC_2023.id)?.hash).toBe(HZ_CBEC_2023.hash);
  });
});
