import { sheetToCsv } from './csv-writer';
import { column, type Sheet } from './workbook';

const sheet = (rows: Sheet['rows']): Sheet => ({
  id: 'demo',
  title: '示例',
  totals: { name: null, amount: '3.50', at: null },
  columns: [
    column('name', '名称', 'Name'),
    column('amount', '金额', 'Amount', 'money'),
    column('at', '时间', 'At', 'datetime'),
  ],
  rows,
});

describe('sheetToCsv', () => {
  it('writes a BOM, one Chinese header row, quoted cells, Beijing time, CRLF and no totals row', () => {
    const lines = sheetToCsv(
      sheet([
        { name: 'Hangzhou, "West Lake"', amount: '1.25', at: '2024-03-31T16:30:00Z' },
        { name: '西湖', amount: '-2.25', at: null },
      ]),
    ).split('\r\n');
    expect(lines).toEqual([
      '\uFEFF名称,金额,时间',
      '"Hangzhou, ""West Lake""",1.25,2024-04-01 00:30:00',
      '西湖,-2.25,',
      '',
    ]);
  });

  it('defuses every text a spreadsheet would run as a formula, and strips control characters', () => {
    const hostile = [
      '=HYPERLINK("x")',
      '+1+1',
      '-1+1',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
      "=cmd|' /C calc'!A0",
    ];
    const lines = sheetToCsv(
      sheet([
        ...hostile.map((name) => ({ name, amount: '1.00', at: null })),
        { name: 'a\u0000b\u0007c', amount: '0.00', at: null },
      ]),
    ).split('\r\n');
    expect(lines.slice(1, 8)).toEqual([
      `"'=HYPERLINK(""x"")",1.00,`,
      `'+1+1,1.00,`,
      `'-1+1,1.00,`,
      `'@SUM(A1),1.00,`,
      `'\t=1+1,1.00,`,
      `"'\r=1+1",1.00,`,
      `'=cmd|' /C calc'!A0,1.00,`,
    ]);
    expect(lines[8]).toBe('abc,0.00,');
  });
});
