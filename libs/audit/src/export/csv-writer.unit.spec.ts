import { sheetToCsv } from './csv-writer';
import { column, type Sheet } from './workbook';

const sheet: Sheet = {
  id: 'demo', title: 'Demo', totals: { name: null, amount: '3.50' },
  columns: [column('name', '名称', 'Name'), column('amount', '金额', 'Amount', 'money')],
  rows: [{ name: 'Hangzhou, "West Lake"', amount: '1.25' }, { name: '=HYPERLINK("x")', amount: '2.25' }],
};

describe('sheetToCsv', () => {
  it('writes a BOM, two header rows, quoted cells, CRLF and a totals row', () => {
    const lines = sheetToCsv(sheet).split('\r\n');
    expect(lines[0]).toBe('\uFEFF名称,金额');
    expect(lines[1]).toBe('Name,Amount');
    expect(lines[2]).toBe('"Hangzhou, ""West Lake""",1.25');
    expect(lines[4]).toBe('合计 Total,3.50');
  });

  it('defuses a cell that a spreadsheet would run as a formula', () => {
    expect(sheetToCsv(sheet).split('\r\n')[3]).toBe(`"'=HYPERLINK(""x"")",2.25`);
  });
});
