import { Money, MoneyParseError } from '@hz/money';
import { isZeroMoney, moneyText } from './money-text';

describe('moneyText: the canonical text of an amount without decimal.js', () => {
  const amounts = ['0', '0.0', '0.00', '0.5', '0.05', '1', '1.5', '1.50', '200000', '200000.00'];
  const widest = '9999999999999.99';

  it.each([...amounts, widest])('%s gives what Money.parse(…).toString() gives', (amount) => {
    expect(moneyText(amount)).toBe(Money.parse(amount).toString());
  });

  it('pads exactly: no digit is added to or taken from the integer part', () => {
    expect(moneyText('200000')).toBe('200000.00');
    expect(moneyText('1.5')).toBe('1.50');
    expect(moneyText('0.05')).toBe('0.05');
    expect(moneyText(widest)).toBe(widest);
  });

  it.each(['-1.00', '1e3', '01.00', '1.005', ' 1', '1,000.00', ''])(
    '%j is refused with the typed error Money.parse throws',
    (bad) => {
      expect(() => moneyText(bad)).toThrow(MoneyParseError);
    },
  );

  it('knows zero in every spelling the format allows', () => {
    expect(['0', '0.0', '0.00'].map(isZeroMoney)).toEqual([true, true, true]);
    expect(['0.01', '10', '100.00'].map(isZeroMoney)).toEqual([false, false, false]);
  });
});
