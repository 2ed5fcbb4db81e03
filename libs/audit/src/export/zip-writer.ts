/**
 * A streaming zip writer of our own for the xlsx export (issue 13; docs/benchmarks.md "Export, our own xlsx
 * writer"): each entry is deflated as it is written (node:zlib deflateRaw), its local header carries no
 * sizes (general purpose flag bit 3) and a data descriptor follows its data with the CRC-32 and the sizes,
 * so nothing of an entry is held beyond zlib's window and the output's own buffer. Every write waits for the
 * output to drain (back-pressure end to end: the caller's `await entry.write()` returns only when the
 * deflated bytes were taken), and fails as soon as the output errors or closes (a download whose client
 * went away).
 *
 * ZIP64 (APPNOTE 4.3.9, 4.5.3) is written only when needed: an entry whose sizes or offset pass 32 bits gets
 * 8-byte sizes in its data descriptor and a ZIP64 extra field in the central directory, and the archive a
 * ZIP64 end record when its directory does (as Go's archive/zip does for streamed entries). `forceZip64`
 * writes every such structure regardless, so the path is testable without a 4 GiB file.
 */
import { constants, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import * as zlib from 'node:zlib';
import type { Writable } from 'node:stream';

const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
/** Bit 3: sizes and CRC in a data descriptor; bit 11: the name is UTF-8. */
const FLAGS = 0x0808;
const METHOD_DEFLATE = 8;
const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** Made by: UNIX (3), spec 4.5. */
const VERSION_MADE_BY = (3 << 8) | VERSION_ZIP64;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;

/** The CRC-32 (IEEE 802.3, reflected 0xEDB88320) table, one entry per byte value. */
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of `bytes` continuing from `crc` (0 to start), computed in JavaScript from the table. */
export function crc32Js(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * zlib.crc32 arrived in Node 20.15 and 22.2 (native, several times faster); earlier Node 20 releases, which
 * the project still supports, get the table above. The zip-writer spec checks that both agree.
 */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
export const crc32: (bytes: Uint8Array, crc?: number) => number =
  typeof nativeCrc32 === 'function' ? (bytes, crc = 0) => nativeCrc32(bytes, crc) : crc32Js;

export interface ZipWriterOptions {
  /** The entries' date (DOS date and time, as the wall clock the caller gives: fields read in UTC). */
  readonly modified?: Date;
  /** Writes the ZIP64 structures for every entry and the archive (tests; readers accept them at any size). */
  readonly forceZip64?: boolean;
  /** zlib level, 1–9 (default 6, zlib's own). */
  readonly level?: number;
}

interface CentralEntry {
  readonly name: Buffer;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  readonly dosTime: number;
  readonly dosDate: number;
  private failure: Error | null = null;
  private open: ZipEntry | null = null;
  private finished = false;

  constructor(
    private readonly out: Writable,
    private readonly options: ZipWriterOptions = {},
  ) {
    const date = options.modified ?? new Date(Date.UTC(1980, 0, 1));
    const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
    this.dosDate = ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
    this.dosTime =
      (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
    const fail = (error: Error): void => {
      this.failure ??= error;
    };
    out.on('error', fail);
    out.on('close', () => {
      if (!this.finished) fail(new Error('the zip output closed before the archive was finished'));
    });
  }

  /** Starts the next entry; the previous one must be closed. */
  async entry(name: string): Promise<ZipEntry> {
    if (this.open !== null) throw new Error(`zip entry ${this.open.name} is still open`);
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_SIGNATURE, 0);
    header.writeUInt16LE(this.options.forceZip64 ? VERSION_ZIP64 : VERSION_DEFLATE, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(METHOD_DEFLATE, 8);
    header.writeUInt16LE(this.dosTime, 10);
    header.writeUInt16LE(this.dosDate, 12);
    // CRC and sizes (14..25) stay 0: they follow the data in the descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    const offset = this.offset;
    await this.write(Buffer.concat([header, nameBytes]));
    const entry = new ZipEntry(name, this, this.options.level ?? constants.Z_DEFAULT_COMPRESSION);
    this.open = entry;
    entry.onClosed = (crc, size, compressedSize) => {
      this.entries.push({ name: nameBytes, crc, size, compressedSize, offset });
      this.open = null;
    };
    return entry;
  }

  /** A whole entry at once (the small parts of a package). */
  async file(name: string, content: string | Buffer): Promise<void> {
    const entry = await this.entry(name);
    await entry.write(content);
    await entry.close();
  }

  /** Writes the central directory and the end records, then ends the output and waits until it finished. */
  async finish(): Promise<void> {
    if (this.open !== null) throw new Error(`zip entry ${this.open.name} is still open`);
    const start = this.offset;
    for (const entry of this.entries) await this.write(centralRecord(entry, this));
    const size = this.offset - start;
    const count = this.entries.length;
    const zip64 =
      this.options.forceZip64 === true || count >= MAX_16 || start >= MAX_32 || size >= MAX_32;
    if (zip64) {
      const record = Buffer.alloc(56 + 20);
      record.writeUInt32LE(ZIP64_EOCD_SIGNATURE, 0);
      record.writeBigUInt64LE(44n, 4); // the record's size after this field
      record.writeUInt16LE(VERSION_MADE_BY, 12);
      record.writeUInt16LE(VERSION_ZIP64, 14);
      record.writeUInt32LE(0, 16); // this disk
      record.writeUInt32LE(0, 20); // the directory's disk
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(size), 40);
      record.writeBigUInt64LE(BigInt(start), 48);
      record.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, 56);
      record.writeUInt32LE(0, 60);
      record.writeBigUInt64LE(BigInt(start + size), 64);
      record.writeUInt32LE(1, 72); // disks in all
      await this.write(record);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD_SIGNATURE, 0);
    end.writeUInt16LE(zip64 ? MAX_16 : count, 8);
    end.writeUInt16LE(zip64 ? MAX_16 : count, 10);
    end.writeUInt32LE(zip64 ? MAX_32 : size, 12);
    end.writeUInt32LE(zip64 ? MAX_32 : start, 16);
    await this.write(end);
    this.finished = true;
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }

  /** Writes bytes to the output and waits while it is full; rejects once the output failed or closed. */
  async write(bytes: Buffer): Promise<void> {
    this.check();
    this.offset += bytes.length;
    if (this.out.write(bytes)) return;
    await this.drained();
  }

  /** Resolves when the output drained, rejects if it errors or closes first. */
  drained(): Promise<void> {
    this.check();
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        this.out.off('drain', onDrain);
        this.out.off('error', onError);
        this.out.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (error: Error): void => done(error);
      const onClose = (): void =>
        done(new Error('the zip output closed before the archive was finished'));
      this.out.on('drain', onDrain);
      this.out.on('error', onError);
      this.out.on('close', onClose);
    });
  }

  check(): void {
    if (this.failure !== null) throw this.failure;
    if (this.out.destroyed)
      throw new Error('the zip output closed before the archive was finished');
  }

  get zip64(): boolean {
    return this.options.forceZip64 === true;
  }
}

/** One entry being written: its bytes are deflated and handed to the output as they come. */
export class ZipEntry {
  private crc = 0;
  private size = 0;
  private compressedSize = 0;
  private readonly deflate: DeflateRaw;
  /** Deflated bytes already written to the output (one promise chain, in order). */
  private written: Promise<void> = Promise.resolve();
  private ended: Promise<void>;
  onClosed: (crc: number, size: number, compressedSize: number) => void = () => undefined;

  constructor(
    readonly name: string,
    private readonly zip: ZipWriter,
    level: number,
  ) {
    this.deflate = createDeflateRaw({ level });
    this.deflate.on('data', (chunk: Buffer) => {
      this.compressedSize += chunk.length;
      this.deflate.pause();
      // The next chunk is read only when this one was taken by the output: zlib's output stays bounded.
      this.written = this.written
        .then(() => this.zip.write(chunk))
        .finally(() => this.deflate.resume());
      this.written.catch((error: Error) => this.deflate.destroy(error));
    });
    this.ended = new Promise<void>((resolve, reject) => {
      this.deflate.once('end', resolve);
      this.deflate.once('error', reject);
    });
    this.ended.catch(() => undefined);
  }

  /** Adds data to the entry; resolves when zlib can take more (its input side drained). */
  async write(data: string | Buffer): Promise<void> {
    this.zip.check();
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (bytes.length === 0) return;
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    if (this.deflate.write(bytes)) return;
    // The output failing destroys zlib with its error, which settles `ended`: a write never hangs.
    await Promise.race([
      new Promise<void>((resolve) => this.deflate.once('drain', resolve)),
      this.ended,
    ]);
    this.zip.check();
  }

  /** Flushes zlib, writes the data descriptor and records the entry for the central directory. */
  async close(): Promise<void> {
    this.deflate.end();
    await this.ended;
    await this.written;
    const zip64 = this.zip.zip64 || this.size >= MAX_32 || this.compressedSize >= MAX_32;
    const descriptor = Buffer.alloc(zip64 ? 24 : 16);
    descriptor.writeUInt32LE(DESCRIPTOR_SIGNATURE, 0);
    descriptor.writeUInt32LE(this.crc, 4);
    if (zip64) {
      descriptor.writeBigUInt64LE(BigInt(this.compressedSize), 8);
      descriptor.writeBigUInt64LE(BigInt(this.size), 16);
    } else {
      descriptor.writeUInt32LE(this.compressedSize, 8);
      descriptor.writeUInt32LE(this.size, 12);
    }
    await this.zip.write(descriptor);
    this.onClosed(this.crc, this.size, this.compressedSize);
  }
}

/** An entry's central directory record, with a ZIP64 extra field for the values past 32 bits. */
function centralRecord(entry: CentralEntry, zip: ZipWriter): Buffer {
  const force = zip.zip64;
  const bigSize = force || entry.size >= MAX_32;
  const bigCompressed = force || entry.compressedSize >= MAX_32;
  const bigOffset = force || entry.offset >= MAX_32;
  const extraValues = [
    ...(bigSize ? [entry.size] : []),
    ...(bigCompressed ? [entry.compressedSize] : []),
    ...(bigOffset ? [entry.offset] : []),
  ];
  const extra = Buffer.alloc(extraValues.length > 0 ? 4 + 8 * extraValues.length : 0);
  if (extra.length > 0) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8 * extraValues.length, 2);
    extraValues.forEach((value, index) => extra.writeBigUInt64LE(BigInt(value), 4 + 8 * index));
  }
  const record = Buffer.alloc(46);
  record.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  record.writeUInt16LE(VERSION_MADE_BY, 4);
  record.writeUInt16LE(extra.length > 0 ? VERSION_ZIP64 : VERSION_DEFLATE, 6);
  record.writeUInt16LE(FLAGS, 8);
  record.writeUInt16LE(METHOD_DEFLATE, 10);
  record.writeUInt16LE(zip.dosTime, 12);
  record.writeUInt16LE(zip.dosDate, 14);
  record.writeUInt32LE(entry.crc, 16);
  record.writeUInt32LE(bigCompressed ? MAX_32 : entry.compressedSize, 20);
  record.writeUInt32LE(bigSize ? MAX_32 : entry.size, 24);
  record.writeUInt16LE(entry.name.length, 28);
  record.writeUInt16LE(extra.length, 30);
  // comment length, disk, internal attributes: 0; external attributes: a regular file, rw-r--r--.
  record.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  record.writeUInt32LE(bigOffset ? MAX_32 : entry.offset, 42);
  return Buffer.concat([record, entry.name, extra]);
}
