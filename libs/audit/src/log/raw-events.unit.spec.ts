/**
 * rowHashes (issue 13) gives computeEventHash's digest for every row, on the fast path (the stored
 * canonical texts hash to the stored hash) and on the exact one (anything else), and the stored hash and
 * prevHash as they are.
 */
import {
  canonicalJson,
  computeEventHash,
  hashCanonicalParts,
  type RawEventRow,
} from '@hz/event-store';
import { FingerprintSet, fingerprintOf } from './fingerprint-set';
import { eventOfRow, rowHashes } from './raw-events';

const PREV = 'a'.repeat(64);

function row(
  metadataExtra: Record<string, unknown> = {},
  data: object = { amount: '1.00', note: '杭州 "q" \\ é' },
): RawEventRow {
  const base = { streamId: 's-1', revision: 3n, id: 'e-1', type: 'Noted', data: data as never };
  const metadata = {
    actor: 'alice',
    prevHash: PREV,
    recordedAt: '2025-01-01T00:00:00.000Z',
    ...metadataExtra,
  };
  const hash = computeEventHash({ ...base, metadata: metadata as never });
  return {
    position: 9n,
    streamId: base.streamId,
    revision: base.revision,
    id: base.id,
    type: base.type,
    data: canonicalJson(data as never),
    metadata: canonicalJson({ ...metadata, hash } as never),
  };
}

const exact = (raw: RawEventRow): string => computeEventHash(eventOfRow(raw));

describe('rowHashes', () => {
  it('hashes a stored canonical row without parsing it', () => {
    const raw = row();
    const hashes = rowHashes(raw);
    expect(hashes.hash).toBe(exact(raw));
    expect(hashes.storedHash).toBe(hashes.hash);
    expect(hashes.prevHash).toBe(PREV);
    expect(hashes.event).toBeUndefined();
  });

  it('finds hash as the last member, and gives the exact digest for an edited row', () => {
    const last = row({ prevHash: undefined, recordedAt: undefined });
    expect(last.metadata.endsWith(`"hash":"${String(rowHashes(last).storedHash)}"}`)).toBe(true);
    expect(rowHashes(last)).toMatchObject({ hash: exact(last), prevHash: undefined });
    expect(rowHashes(last).event).toBeUndefined();
    const edited = { ...row(), data: row().data.replace('1.00', '9.00') };
    const hashes = rowHashes(edited);
    expect(hashes.hash).toBe(exact(edited));
    expect(hashes.hash).not.toBe(hashes.storedHash);
    expect(hashes.event?.data).toEqual({ amount: '9.00', note: '杭州 "q" \\ é' });
  });

  it('takes the exact path for nested metadata and for a text that is not canonical', () => {
    const nested = row({ extra: { hash: 'b'.repeat(64) } });
    expect(rowHashes(nested)).toMatchObject({ hash: exact(nested), prevHash: PREV });
    expect(rowHashes(nested).event).toBeDefined();
    const spaced = { ...row(), metadata: row().metadata.replace('"hash":"', '"hash": "') };
    expect(rowHashes(spaced)).toMatchObject({
      hash: exact(spaced),
      storedHash: rowHashes(row()).hash,
    });
  });

  it('a row re-written in another key order or spacing, with a hash over that text, gets the exact digest', () => {
    // What a forger with write access would store: the same content, not canonical, and a hash (and so a
    // chain) recomputed over those texts. Only computeEventHash's digest shows the hash is not the event's.
    const forged = (data: string, metadataWithoutHash: string): RawEventRow => {
      const base = { streamId: 's-1', revision: 3n, id: 'e-1', type: 'Noted' };
      const hash = hashCanonicalParts(base, data, metadataWithoutHash);
      return {
        ...base,
        position: 9n,
        data,
        metadata: `${metadataWithoutHash.slice(0, -1)},"hash":"${hash}"}`,
      };
    };
    const metadata = `{"actor":"alice","prevHash":"${PREV}"}`;
    for (const raw of [
      forged('{"note":"n","amount":"1.00"}', metadata),
      forged('{"amount": "1.00","note":"n"}', metadata),
      forged('{"amount":"1.00","note":"\\u006e"}', metadata),
      forged('{"amount":"1.00","note":"n"}', `{"prevHash":"${PREV}","actor":"alice"}`),
    ]) {
      const hashes = rowHashes(raw);
      expect(hashes.hash).toBe(exact(raw));
      expect(hashes.hash).not.toBe(hashes.storedHash);
    }
    // The same texts written canonically: the fast path, and the stored hash is the event's.
    const canonical = forged('{"amount":"1.00","note":"n"}', metadata);
    expect(rowHashes(canonical).hash).toBe(exact(canonical));
    expect(rowHashes(canonical).event).toBeUndefined();
    expect(rowHashes(canonical).hash).toBe(rowHashes(canonical).storedHash);
  });
});

describe('FingerprintSet', () => {
  it('says whether a member was added before, across growth', () => {
    const set = new FingerprintSet();
    const members = Array.from({ length: 20_000 }, (_, index) => `payment:PAY-${index}`);
    expect(members.every((member) => set.add(member))).toBe(true);
    expect(set.size).toBe(20_000);
    expect(members.filter((member) => set.add(member))).toEqual([]);
    expect(set.add('payment:PAY-20000')).toBe(true);
  });

  it('fingerprints are 53-bit safe integers, never 0, and differ for near strings', () => {
    const prints = ['a', 'b', 'ab', 'ba', ''].map(fingerprintOf);
    for (const print of prints) expect(Number.isSafeInteger(print) && print > 0).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
