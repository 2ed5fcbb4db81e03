import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowSpill } from './row-spill';
import type { Row } from './workbook';

describe('RowSpill: the export rows kept in a scratch file, not in memory (issue 13)', () => {
  it('given more rows than one insert batch, then they read back in push order, exactly, as often as asked', () => {
    const spill = new RowSpill();
    try {
      const rows = spill.list<Row>();
      const other = spill.list<Row>();
      const pushed: Row[] = [];
      for (let index = 0; index < 2_503; index += 1) {
        const row: Row = {
          position: String(index + 1),
          amount: index % 3 === 0 ? null : `${index}.05`,
          year: 2023 + (index % 3),
          text: index === 7 ? '=1+1 "quoted", 中文\r\n' : `row ${index}`,
        };
        pushed.push(row);
        rows.push(row);
        if (index % 2 === 0) other.push({ index });
      }
      expect(rows.length).toBe(2_503);
      expect(other.length).toBe(1_252);
      expect([...rows]).toEqual(pushed);
      // Same key order: a writer that walks a row's keys sees them as pushed.
      expect(Object.keys([...rows][7] ?? {})).toEqual(['position', 'amount', 'year', 'text']);
      // A reader that stops early (the width sample) leaves the list readable again from the start.
      let seen = 0;
      for (const row of rows) {
        expect(row).toEqual(pushed[seen]);
        if (++seen === 10) break;
      }
      rows.push({ position: 'late' });
      const again = [...rows];
      expect(again).toHaveLength(2_504);
      expect(again.at(-1)).toEqual({ position: 'late' });
      expect([...other].map((row) => row['index'])).toEqual(
        pushed.filter((_, index) => index % 2 === 0).map((_, index) => index * 2),
      );
    } finally {
      spill.close();
    }
  });

  it('given a closed spill, then its scratch file is gone and a second close is harmless', () => {
    const spill = new RowSpill();
    expect(spill.directory.startsWith(join(tmpdir(), 'ledger-export-'))).toBe(true);
    spill.list<Row>().push({ a: '1' });
    expect(readdirSync(spill.directory)).toContain('export-rows.db');
    spill.close();
    spill.close();
    expect(existsSync(spill.directory)).toBe(false);
  });
});
