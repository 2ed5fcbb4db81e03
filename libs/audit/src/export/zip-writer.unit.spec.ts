/**
 * The export's own zip writer (zip-writer.ts): CRC-32 from the JS table, entries read back from the central
 * directory (ZIP32 and forced ZIP64) with their data descriptors, and an output that goes away mid-archive
 * fails the writer instead of leaving it waiting (a download whose client hung up).
 */
import { PassThrough, Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { crc32Js, ZipWriter } from './zip-writer';

async function zipped(files: ReadonlyArray<[string, string]>, forceZip64 = false): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zip = new ZipWriter(sink, {
    forceZip64,
    modified: new Date(Date.UTC(2025, 0, 2, 9, 30, 4)),
  });
  for (const [name, text] of files) {
    const entry = await zip.entry(name);
    // In pieces, as the xlsx writer hands over its sheet XML.
    for (let at = 0; at < text.length; at += 50_000) await entry.write(text.slice(at, at + 50_000));
    await entry.close();
  }
  await zip.finish();
  return Buffer.concat(chunks);
}

interface ReadEntry {
  readonly name: string;
  readonly text: string;
  readonly crc: number;
  readonly dosDate: number;
  readonly descriptorCrc: number;
  readonly zip64Extra: boolean;
}

/** Reads the archive the way a reader does: end record (ZIP64 when marked), directory, local data. */
function readZip(zip: Buffer): ReadEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff) {
    const locator = eocd - 20;
    expect(zip.readUInt32LE(locator)).toBe(0x07064b50);
    const record = Number(zip.readBigUInt64LE(locator + 8));
    expect(zip.readUInt32LE(record)).toBe(0x06064b50);
    count = Number(zip.readBigUInt64LE(record + 32));
    offset = Number(zip.readBigUInt64LE(record + 48));
  }
  const entries: ReadEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const flags = zip.readUInt16LE(offset + 8);
    expect(flags & 0x0808).toBe(0x0808);
    const crc = zip.readUInt32LE(offset + 16);
    let compressed = zip.readUInt32LE(offset + 20);
    let size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    let local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const extra = zip.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength);
    const zip64Extra = extra.length > 0 && extra.readUInt16LE(0) === 0x0001;
    if (zip64Extra) {
      let at = 4;
      const next = (): number => {
        const value = Number(extra.readBigUInt64LE(at));
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressed === 0xffffffff) compressed = next();
      if (local === 0xffffffff) local = next();
    }
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + compressed));
    expect(data.length).toBe(size);
    const descriptor = dataAt + compressed;
    expect(zip.readUInt32LE(descriptor)).toBe(0x08074b50);
    entries.push({
      name,
      text: data.toString('utf8'),
      crc,
      dosDate: zip.readUInt16LE(local + 12),
      descriptorCrc: zip.readUInt32LE(descriptor + 4),
      zip64Extra,
    });
    offset += 46 + nameLength + extraLength + zip.readUInt16LE(offset + 32);
  }
  return entries;
}

const FILES: ReadonlyArray<[string, string]> = [
  ['[Content_Types].xml', '<Types/>'],
  ['xl/worksheets/sheet1.xml', '<row>杭州 1,234.50</row>'.repeat(40_000)],
  ['empty.xml', ''],
];

describe('ZipWriter', () => {
  it('computes CRC-32 in JavaScript: the check value of "123456789", and in pieces as whole', () => {
    expect(crc32Js(Buffer.from('123456789'))).toBe(0xcbf43926);
    const text = Buffer.from('跨境电商'.repeat(1000));
    expect(crc32Js(text.subarray(100), crc32Js(text.subarray(0, 100)))).toBe(crc32Js(text));
    expect(crc32Js(Buffer.alloc(0))).toBe(0);
  });

  it.each([false, true])(
    'writes deflated entries with data descriptors a reader gets back byte for byte (forceZip64: %s)',
    async (forceZip64) => {
      const entries = readZip(await zipped(FILES, forceZip64));
      expect(entries.map((entry) => entry.name)).toEqual(FILES.map(([name]) => name));
      entries.forEach((entry, index) => {
        expect(entry.text).toBe(FILES[index]![1]);
        expect(entry.crc).toBe(crc32Js(Buffer.from(FILES[index]![1])));
        expect(entry.descriptorCrc).toBe(entry.crc);
        expect(entry.zip64Extra).toBe(forceZip64);
        // 2025-01-02: (45 << 9) | (1 << 5) | 2.
        expect(entry.dosDate).toBe((45 << 9) | (1 << 5) | 2);
      });
    },
  );

  it('fails, rather than waits, when its output closes mid-archive', async () => {
    // An output that takes 64 kB, then stops taking and is destroyed (a client that hung up).
    let taken = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        if (taken < 64 * 1024) callback();
        else setImmediate(() => out.destroy());
      },
    });
    const zip = new ZipWriter(out, { level: 0 });
    const entry = await zip.entry('big.xml');
    const writing = (async () => {
      for (let chunk = 0; chunk < 1000; chunk += 1) await entry.write('x'.repeat(64 * 1024));
      await entry.close();
      await zip.finish();
    })();
    await expect(writing).rejects.toThrow(/closed before the archive was finished/);
  });
});
