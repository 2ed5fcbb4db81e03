/**
 * moneyField's parsed amounts by text (issue 13, ./audit-state.ts): a text parsed before answers with the
 * kept Money, which equals a fresh parse; a malformed text is reported every time, never kept.
 */
import { Money } from '@hz/money';
import { MalformedEvent, moneyField } from './audit-state';

describe('moneyField', () => {
  it('answers a text parsed before with the same Money, equal to a fresh parse', () => {
    const first = moneyField('951500.00', 'amount');
    const again = moneyField('951500.00', 'ceiling');
    expect(again).toBe(first);
    expect(again.equals(Money.parse('951500.00'))).toBe(true);
    expect(again.toString()).toBe('951500.00');
  });

  it('keeps texts apart: another text of an equal amount is its own parse', () => {
    expect(moneyField('5', 'amount').toString()).toBe('5.00');
    expect(moneyField('5.00', 'amount').toString()).toBe('5.00');
    expect(moneyField('5.01', 'amount').toString()).toBe('5.01');
  });

  it('reports a malformed text every time it is met', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(() => moneyField('1e3', 'amount')).toThrow(MalformedEvent);
      expect(() => moneyField(1000, 'amount')).toThrow(MalformedEvent);
    }
  });

  it('still parses after the kept texts were let go (past the bound)', () => {
    const wrong: string[] = [];
    for (let fen = 0; fen < 5000; fen += 1) {
      const text = (fen / 100).toFixed(2);
      if (moneyField(text, 'amount').toString() !== text) wrong.push(text);
    }
    expect(wrong).toEqual([]);
  });
});
