/**
 * Zip entry dates pinned (issue 18, audit pack): the xlsx was zipped by JSZip (through ExcelJS), which
 * stamped every entry with the wall clock; our own zip writer (export/zip-writer.ts, issue 13) dates them
 * with the workbook's generation time, and the pack still pins them, so its bytes depend on neither. It
 * rewrites each entry's DOS date and time, in its local header and in the central directory, to one fixed
 * instant; no other byte changes (the entries' data and CRCs do not cover the dates).
 */
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The smallest end-of-central-directory record, and the longest comment after it. */
const EOCD_SIZE = 22;
const COMMENT_MAX = 0xffff;
/** 1980-01-01 00:00:00, the first instant DOS dates can say. */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;

export class ZipFormatError extends Error {}

function endOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - EOCD_SIZE - COMMENT_MAX);
  for (let offset = zip.length - EOCD_SIZE; offset >= lowest; offset -= 1) {
    if (zip.readUInt32LE(offset) === EOCD_SIGNATURE) return offset;
  }
  throw new ZipFormatError('no end of central directory record');
}

/** A copy of `zip` with every entry dated 1980-01-01 00:00 (local headers and central directory). */
export function withFixedZipDates(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const eocd = endOfCentralDirectory(out);
  const entries = out.readUInt16LE(eocd + 10);
  let offset = out.readUInt32LE(eocd + 16);
  for (let index = 0; index < entries; index += 1) {
    if (out.readUInt32LE(offset) !== CENTRAL_SIGNATURE)
      throw new ZipFormatError(`central directory entry ${index} is malformed`);
    out.writeUInt16LE(DOS_TIME_MIDNIGHT, offset + 12);
    out.writeUInt16LE(DOS_DATE_1980, offset + 14);
    const local = out.readUInt32LE(offset + 42);
    if (out.readUInt32LE(local) !== LOCAL_SIGNATURE)
      throw new ZipFormatError(`local header of entry ${index} is malformed`);
    out.writeUInt16LE(DOS_TIME_MIDNIGHT, local + 10);
    out.writeUInt16LE(DOS_DATE_1980, local + 12);
    const nameLength = out.readUInt16LE(offset + 28);
    const extraLength = out.readUInt16LE(offset + 30);
    const commentLength = out.readUInt16LE(offset + 32);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}
