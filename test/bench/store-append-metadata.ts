/**
 * The stored metadata's two texts per appended event (issue 12), in alternated blocks: canonicalJson of
 * the metadata (hashed) then of the metadata with its hash (stored), against canonicalObjectText's one
 * walk and withMember. Prints CPU µs per event for each, block by block.
 * Run: node -r @swc-node/register test/bench/store-append-metadata.ts
 */
import { canonicalJson, canonicalObjectText } from '@hz/kernel';
import { randomUUID } from 'node:crypto';

const metadatas = Array.from({ length: 2000 }, () => ({
  actor: 'admin-1',
  role: 'admin',
  idempotencyKey: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  commandHash: 'a'.repeat(64),
  policyVersion: 'hz-2023-9',
  occurredAt: '2026-12-07T10:00:00.000Z',
  recordedAt: '2026-12-07T10:00:00.000Z',
  prevHash: '0'.repeat(64),
}));
const hash = 'b'.repeat(64);
let written = 0;
const twoWalks = () => {
  for (const metadata of metadatas)
    written += canonicalJson(metadata).length + canonicalJson({ ...metadata, hash }).length;
};
const oneWalk = () => {
  for (const metadata of metadatas) {
    const texts = canonicalObjectText(metadata);
    written += texts.text.length + texts.withMember('hash', hash).length;
  }
};
const blocks = 20;
for (let pair = 0; pair < Number(process.env.PAIRS ?? 5); pair += 1) {
  const line: string[] = [];
  for (const [label, run] of [
    ['two walks', twoWalks],
    ['one walk', oneWalk],
  ] as const) {
    const c0 = process.cpuUsage();
    for (let block = 0; block < blocks; block += 1) run();
    const c = process.cpuUsage(c0);
    line.push(`${label} ${((c.user + c.system) / (blocks * metadatas.length)).toFixed(2)} us`);
  }
  console.log(line.join(', '));
}
if (written === 0) throw new Error('nothing written');
