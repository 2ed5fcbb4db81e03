/**
 * The audit pack's xlsx is reproducible (zip-dates.ts): JSZip dates each entry with the wall clock, and
 * pinning every local and central date makes two exports made at different times identical.
 */
import { workbookToXlsx } from '../export/xlsx-writer';
import type { ExportWorkbook } from '../export/workbook';
import { withFixedZipDates, ZipFormatError } from './zip-dates';

const WORKBOOK: ExportWorkbook = {
  asOf: '2024-12-31T16:00:00.000Z',
  generatedAt: '2024-12-31T16:00:00.000Z',
  headPosition: '7',
  eventCount: 7,
  seal: null,
  sheets: [
    {
      id: 'summary',
      title: '汇总',
      columns: [{ key: 'funder', zh: '出资方', en: 'Funder', kind: 'text' }],
      rows: [{ funder: 'city' }],
      totals: null,
    },
  ],
};

/** Every DOS date/time pair of the zip (local headers and central directory), as found by signature. */
function datesOf(zip: Buffer): string[] {
  const dates: string[] = [];
  for (let offset = 0; offset + 4 <= zip.length; offset += 1) {
    const signature = zip.readUInt32LE(offset);
    if (signature === 0x04034b50)
      dates.push(`L${zip.readUInt16LE(offset + 12)}/${zip.readUInt16LE(offset + 10)}`);
    if (signature === 0x02014b50)
      dates.push(`C${zip.readUInt16LE(offset + 14)}/${zip.readUInt16LE(offset + 12)}`);
  }
  return dates;
}

describe('withFixedZipDates', () => {
  it('dates every entry 1980-01-01 00:00, so exports made at other times have the same bytes', async () => {
    const made = await workbookToXlsx(WORKBOOK);
    // The same file as if zipped two seconds later: every entry's DOS time moved by one unit.
    const later = Buffer.from(made);
    for (let offset = 0; offset + 4 <= later.length; offset += 1) {
      const signature = later.readUInt32LE(offset);
      if (signature === 0x04034b50)
        later.writeUInt16LE((later.readUInt16LE(offset + 10) + 1) & 0xffff, offset + 10);
      if (signature === 0x02014b50)
        later.writeUInt16LE((later.readUInt16LE(offset + 12) + 1) & 0xffff, offset + 12);
    }
    expect(later.equals(made)).toBe(false);
    const pinned = withFixedZipDates(made);
    expect(withFixedZipDates(later).equals(pinned)).toBe(true);
    const dates = datesOf(pinned);
    expect(dates.length).toBeGreaterThan(4);
    expect(new Set(dates.map((date) => date.slice(1)))).toEqual(new Set(['33/0']));
    expect(pinned.length).toBe(made.length);
  });

  it('refuses bytes that are not a zip', () => {
    expect(() => withFixedZipDates(Buffer.from('not a zip at all, no directory here'))).toThrow(
      ZipFormatError,
    );
  });
});
