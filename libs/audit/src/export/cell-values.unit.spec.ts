import fc from 'fast-check';
import {
  looksLikeFormula,
  moneyCellNumber,
  MONEY_CELL_LIMIT,
  sanitizeText,
  shanghaiLocalTime,
  shanghaiText,
  CELL_TEXT_MAX,
} from './cell-values';

const toAmount = (fen: bigint): string => {
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

describe('moneyCellNumber: the only place an amount becomes a double', () => {
  it('gives back every 2-digit amount below 10^13 yuan when the cell is rounded to 2 decimals (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (fen) => {
        const text = toAmount(fen);
        // toFixed rounds the exact binary value, as a spreadsheet's #,##0.00 does.
        expect(moneyCellNumber(text).toFixed(2)).toBe(text === '-0.00' ? '0.00' : text);
      }),
      { numRuns: 20_000, seed: 46 },
    );
  });

  it('holds up to just below 2^46 and refuses beyond, where a double no longer holds every fen', () => {
    expect(MONEY_CELL_LIMIT.toFixed(0)).toBe('70368744177664');
    for (const text of [
      '9999999999999.99',
      '70368744177663.99',
      '70368744177663.01',
      '35184372088831.99',
    ])
      expect(moneyCellNumber(text).toFixed(2)).toBe(text);
    // Just past the limit the grid of doubles is 1/64 yuan: .01 is stored as .015625 and would show .02.
    expect(Number('70368744177664.01').toFixed(2)).toBe('70368744177664.02');
    expect(() => moneyCellNumber('70368744177664.01')).toThrow(RangeError);
    expect(() => moneyCellNumber('-70368744177664.00')).toThrow(RangeError);
  });

  it('takes only 2-digit decimal strings', () => {
    for (const bad of ['1', '1.5', '1e3', ' 1.00', '1,000.00', ''])
      expect(() => moneyCellNumber(bad)).toThrow(RangeError);
  });
});

describe('sanitizeText', () => {
  it('removes control characters that break a cell, keeps tab and line breaks, mends lone surrogates, cuts at the cell limit', () => {
    expect(sanitizeText('杭州\u0000某\u0007公司\u001B\u007F\u0085')).toBe('杭州某公司');
    expect(sanitizeText('line one\nline two\tcol\r')).toBe('line one\nline two\tcol\r');
    expect(sanitizeText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(sanitizeText('ok 😀')).toBe('ok 😀');
    expect(sanitizeText('\uFFFE\uFFFFx')).toBe('x');
    const long = sanitizeText('长'.repeat(CELL_TEXT_MAX + 10));
    expect(long.length).toBe(CELL_TEXT_MAX);
    expect(long.endsWith('…')).toBe(true);
  });

  it('knows what a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1'])
      expect(looksLikeFormula(text)).toBe(true);
    for (const text of ['1+1', '杭州', ' =1', '']) expect(looksLikeFormula(text)).toBe(false);
  });
});

describe('Beijing time', () => {
  it('shows an instant as Asia/Shanghai wall clock, truncated to the second, across a month end', () => {
    expect(shanghaiText('2024-03-31T16:30:00.999Z')).toBe('2024-04-01 00:30:00');
    expect(shanghaiText('2024-12-31T15:59:59.999Z')).toBe('2024-12-31 23:59:59');
    expect(shanghaiText('2024-05-03T10:00:00+08:00')).toBe('2024-05-03 10:00:00');
    expect(shanghaiLocalTime('2024-05-03')).toEqual({
      wallClock: new Date('2024-05-03T00:00:00Z'),
      hasTime: false,
    });
    expect(shanghaiLocalTime('not a time')).toBeNull();
  });
});
