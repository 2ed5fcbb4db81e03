import { formatEta } from './progress';

describe('progress bar ETA (issue 13)', () => {
  it('extrapolates the time left from the average rate so far', () => {
    // A quarter done in 10 s: three more quarters at the same rate take 30 s.
    expect(formatEta(0.25, 10)).toBe('30s');
    expect(formatEta(0.5, 90)).toBe('1m30s');
    expect(formatEta(0.1, 1200)).toBe('3h00m');
  });

  it('says "--" before the first step and 0s when done', () => {
    expect(formatEta(0, 5)).toBe('--');
    expect(formatEta(Number.NaN, 5)).toBe('--');
    expect(formatEta(1, 5)).toBe('0s');
  });
});
