import * as time from './business-time';

describe('business time (Hangzhou, UTC+08:00)', () => {
  it('knows real calendar days', () => {
    expect(['2024-02-29', '2023-04-30', '2023-12-31'].map(time.isCalendarDate)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['2023-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-1-01', 20230101].map(
        time.isCalendarDate,
      ),
    ).toEqual([false, false, false, false, false, false]);
    expect(['1900-02-29', '2000-02-29'].map(time.isCalendarDate)).toEqual([false, true]);
  });

  it('reads a bare date as the start of that day in Hangzhou, a date-time as written', () => {
    expect(time.businessInstantMs('2024-03-01')).toBe(Date.parse('2024-02-29T16:00:00Z'));
    expect(time.businessInstantMs('2024-03-01T08:00:00.5+08:00')).toBe(
      Date.parse('2024-03-01T00:00:00.5Z'),
    );
    expect(['2024-03-01T08:00Z', '2024-03-01', 7].map(time.isOffsetDateTime)).toEqual([
      true,
      false,
      false,
    ]);
    for (const bad of ['2024-03-01T08:00', '2024-02-30T00:00Z', 'yesterday', 7, undefined])
      expect(time.businessInstantMs(bad)).toBeNaN();
  });

  it('dates and months an instant in Hangzhou, not in UTC', () => {
    expect(time.businessDateOf(Date.parse('2024-03-31T16:00:00Z'))).toBe('2024-04-01');
    expect(time.businessDateOf(Date.parse('2024-03-31T15:59:59.999Z'))).toBe('2024-03-31');
    expect(time.businessMonthOf('2024-03-31T20:00:00Z')).toBe('2024-04');
    expect(time.businessMonthOf('2024-03-31')).toBe('2024-03');
    expect(() => time.businessMonthOf('March')).toThrow(RangeError);
  });

  it('ends a business day at its last millisecond, and leaves other as-of text alone', () => {
    expect(time.endOfBusinessDay('2024-12-31')).toBe('2024-12-31T23:59:59.999+08:00');
    expect(new Date(time.asOfText('2024-12-31')).toISOString()).toBe('2024-12-31T15:59:59.999Z');
    expect(time.asOfText('2024-12-31T16:00:00Z')).toBe('2024-12-31T16:00:00Z');
  });
});
