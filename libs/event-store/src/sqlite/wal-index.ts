/**
 * How long the WAL is and how many of its frames are not yet copied into the database file
 * (docs/architecture.md §4 "Checkpoints off the committing thread"), read from the WAL-index header in the `-shm` file that every connection in WAL
 * mode maps. SQLite's file-format page on the WAL-index (walformat.html, "The WAL-Index Header") lays it
 * out: mxFrame (the last valid frame) at byte 16 of the header, and nBackfill (the frames a checkpoint has
 * already copied) at byte 96, in the machine's byte order. The read takes no lock, so it can see a value
 * a moment old or half-written; it only decides *when* to checkpoint, never what is durable.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

const MX_FRAME_OFFSET = 16;
const N_BACKFILL_OFFSET = 96;
const HEADER_BYTES = N_BACKFILL_OFFSET + 4;

export class WalIndex {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(HEADER_BYTES);
  private readonly littleEndian = endianness() === 'LE';

  constructor(private readonly file: string) {}

  /**
   * `frames`: the WAL's length in frames (what its file holds since it last started over); `waiting`:
   * those not yet copied into the database file. Undefined when the -shm file cannot be read.
   */
  read(): { readonly frames: number; readonly waiting: number } | undefined {
    try {
      this.fd ??= openSync(`${this.file}-shm`, 'r');
      if (readSync(this.fd, this.buffer, 0, HEADER_BYTES, 0) < HEADER_BYTES) return undefined;
    } catch {
      return undefined;
    }
    const read = (offset: number): number =>
      this.littleEndian ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset);
    const frames = read(MX_FRAME_OFFSET);
    const waiting = frames - read(N_BACKFILL_OFFSET);
    return { frames, waiting: waiting > 0 ? waiting : 0 };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
