/**
 * The xlsx writer's bound (issue 13, docs/benchmarks.md "Export, our own xlsx writer"): it reads a sheet's
 * rows only as fast as its output takes the zipped bytes, so an output that stops taking stops the reading
 * after a few chunks of sheet XML (memory bounded by a chunk, not by the sheet), and it gives the event
 * loop turns while it writes (a whole-ledger export in the service must not hold every other request:
 * with exceljs and no turns, the export job's status polls were reset, ECONNRESET).
 */
import { PassThrough, Writable } from 'node:stream';
import { writeWorkbookXlsx } from './xlsx-writer';
import { column, type ExportWorkbook, type Row, type Rows } from './workbook';

const COLUMNS = [
  column('claimId', '申请编号', 'Claim', 'id'),
  column('name', '名称', 'Name'),
  column('amount', '金额', 'Amount', 'money'),
  column('at', '时间', 'At', 'datetime'),
];

/** `count` rows made as they are read; `pulled` says how many the writer has read so far. */
function countedRows(count: number): Rows<Row> & { pulled: number } {
  const rows = {
    length: count,
    pulled: 0,
    *[Symbol.iterator](): Iterator<Row> {
      for (let index = 0; index < count; index += 1) {
        rows.pulled += 1;
        yield {
          claimId: `claim-${String(index).padStart(8, '0')}`,
          // Different text per row, so deflate cannot shrink the sheet to nothing.
          name: `杭州某跨境电商有限公司 ${(index * 7919) % 100_003}`,
          amount: `${index % 100_000}.${String(index % 100).padStart(2, '0')}`,
          at: new Date(Date.UTC(2024, 0, 1) + index * 61_000).toISOString(),
        };
      }
    },
  };
  return rows;
}

const workbookOf = (rows: Rows<Row>): ExportWorkbook => ({
  asOf: '2025-01-01T00:00:00.000Z',
  generatedAt: '2025-01-01T00:00:00.000Z',
  headPosition: '1',
  eventCount: 1,
  seal: null,
  sheets: [{ id: 'claims', title: '申报', columns: COLUMNS, rows, totals: null }],
});

/** Waits until `read()` has not changed for 20 turns of 5 ms (or 10 s have passed). */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  for (let tries = 0; tries < 2000 && still < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe('writeWorkbookXlsx, streamed', () => {
  it('stops reading rows when its output stops taking bytes, and fails when the output is destroyed', async () => {
    const rows = countedRows(100_000);
    let taken = 0;
    // Takes the first 32 kB, then never calls back: a download whose client stopped reading.
    const stalled = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        if (taken < 32 * 1024) callback();
      },
    });
    const writing = writeWorkbookXlsx(workbookOf(rows), stalled);
    writing.catch(() => undefined);
    const pulled = await settled(() => rows.pulled);
    // A row is ~400 bytes of sheet XML: what was read fits in a few 64 kB chunks and zlib's buffers.
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(5_000);
    stalled.destroy();
    await expect(writing).rejects.toThrow(/closed before the archive was finished/);
    expect(rows.pulled).toBeLessThan(5_000);
  });

  it('gives the event loop turns while it writes a sheet', async () => {
    const rows = countedRows(20_000);
    const sink = new PassThrough();
    let bytes = 0;
    sink.on('data', (chunk: Buffer) => (bytes += chunk.length));
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    await writeWorkbookXlsx(workbookOf(rows), sink);
    counting = false;
    expect(rows.pulled).toBe(22_000); // the 2,000 rows of the width sample, then every row once
    expect(bytes).toBeGreaterThan(0);
    // ~8 MB of sheet XML in 64 kB chunks: the loop turns at least once per chunk.
    expect(turns).toBeGreaterThan(100);
  });
});
