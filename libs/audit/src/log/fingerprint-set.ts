/**
 * A set of strings kept as 52-bit fingerprints in one Float64Array (open addressing, linear probing): about
 * 16 bytes per member instead of the ~150 a Map of strings costs, which is what lets verify's reference
 * check stay small on a million-event log (issue 13). A fingerprint can collide, so `add` answering "seen
 * before" only means "maybe": the caller confirms such a member exactly (verify re-reads the log for those).
 */
const INITIAL_CAPACITY = 1 << 12;
const TWO_POW_32 = 2 ** 32;

export class FingerprintSet {
  private slots = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the member; returns false when its fingerprint was there already (seen before, or a collision). */
  add(member: string): boolean {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const fingerprint = fingerprintOf(member);
    if (!insert(this.slots, fingerprint)) return false;
    this.count += 1;
    return true;
  }

  /** Adds a fingerprint taken from another set (`fingerprints`); false when it was there already. */
  addFingerprint(fingerprint: number): boolean {
    if (fingerprint === 0) return true;
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    if (!insert(this.slots, fingerprint)) return false;
    this.count += 1;
    return true;
  }

  /**
   * The table itself (0 marks an empty slot), to be posted to another thread and merged there with
   * `addFingerprint` (verify on worker threads: a fingerprint two workers hold is a suspect).
   */
  fingerprints(): Float64Array {
    return this.slots;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const fingerprint of old) if (fingerprint !== 0) insert(this.slots, fingerprint);
  }
}

function insert(slots: Float64Array, fingerprint: number): boolean {
  const mask = slots.length - 1;
  let index = (fingerprint % slots.length) & mask;
  for (;;) {
    const slot = slots[index];
    if (slot === 0) {
      slots[index] = fingerprint;
      return true;
    }
    if (slot === fingerprint) return false;
    index = (index + 1) & mask;
  }
}

/** Two FNV-1a hashes (different offset bases) over the UTF-16 code units: 20 + 32 bits, never 0. */
export function fingerprintOf(member: string): number {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ member.length;
  for (let index = 0; index < member.length; index += 1) {
    const unit = member.charCodeAt(index);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x01000193) ^ (high >>> 15);
  }
  return ((high >>> 12) + 1) * TWO_POW_32 + (low >>> 0);
}
