import {
  SettingProblem,
  integer,
  matching,
  oneOf,
  port,
  secret,
  seconds,
  text,
  url,
} from './variables';

const refusal = (parse: () => unknown): string => {
  try {
    parse();
  } catch (error) {
    if (error instanceof SettingProblem) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('variable parsers', () => {
  it('accept what they describe', () => {
    expect(text({ doc: 'x.' }).parse('a b', 'X')).toBe('a b');
    expect(oneOf(['a', 'b'], { doc: 'x.' }).parse('b', 'X')).toBe('b');
    expect(port({ doc: 'x.' }).parse('0', 'X')).toBe(0);
    expect(seconds({ doc: 'x.' }).parse('2592000', 'X')).toBe(2_592_000);
    expect(url(/^https?:\/\//, 'an http(s) URL', { doc: 'x.' }).parse('https://a', 'X')).toBe(
      'https://a',
    );
    expect(matching(/^[0-9]+kb$/, 'be a size', { doc: 'x.' }).parse('12kb', 'X')).toBe('12kb');
    expect(secret(4, '', { doc: 'x.' }).parse('東京', 'X')).toBe('東京');
  });

  it('refuse with a message naming the variable, echoing the value only where it is no secret', () => {
    expect(refusal(() => port({ doc: 'x.' }).parse('65536', 'P'))).toBe(
      'P must be an integer 0..65535 (0 = any free port), got "65536"',
    );
    expect(refusal(() => seconds({ doc: 'x.' }).parse('0', 'S'))).toBe(
      'S must be a number of seconds 1..2592000, got "0"',
    );
    expect(
      refusal(() =>
        integer({ min: 1, max: 9, digits: 1 }, 'a digit', { doc: 'x.' }).parse('1.5', 'D'),
      ),
    ).toBe('D must be a digit, got "1.5"');
    expect(
      refusal(() =>
        url(/^redis:\/\//, 'a redis:// URL', { doc: 'x.' }).parse('http://u:pw@r', 'R'),
      ),
    ).toBe('R must be a redis:// URL');
    expect(refusal(() => secret(32, ' (hint)', { doc: 'x.' }).parse('short-pw', 'K'))).toBe(
      'K must be at least 32 bytes (hint)',
    );
    expect(refusal(() => oneOf(['a'], { doc: 'x.' }).parse('z', 'O'))).toBe(
      'O must be one of a, got "z"',
    );
  });
});
