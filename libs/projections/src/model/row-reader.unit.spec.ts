/**
 * The SQLite store reads rows as arrays (better-sqlite3's raw mode, issue 13): a reader over an array and
 * its columns' indexes must read what rowReader reads over the object of the same names and values,
 * errors included.
 */
import { arrayRowReader, columnIndexes, rowReader, type RowReader } from './read-model';

const NAMES = ['t', 'n', 'big', 'num', 'digits', 'bad', 'dup', 'dup'];
const VALUES: unknown[] = ['text', null, 12n, 7, '-42', 1.5, 'first', 'last'];

function objectOf(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  names.forEach((name, index) => {
    row[name] = values[index];
  });
  return row;
}

function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    return { error: String(error) };
  }
}

function everyRead(reader: RowReader): unknown[] {
  const columns = [...new Set(NAMES), 'missing'];
  return columns.flatMap((column) => [
    outcome(() => reader.text(column)),
    outcome(() => reader.textOrNull(column)),
    outcome(() => reader.int(column)),
    outcome(() => reader.intOrNull(column)),
    outcome(() => reader.big(column)),
    ...(['text', 'integer', 'bigint', 'ms', 'money'] as const).flatMap((type) =>
      [true, false].map((nullable) =>
        outcome(() => reader.read({ name: column, field: column, type, nullable, key: false })),
      ),
    ),
  ]);
}

describe('arrayRowReader', () => {
  it('reads every column as rowReader reads the object with the same names and values', () => {
    const expected = everyRead(rowReader(objectOf(NAMES, VALUES)));
    expect(everyRead(arrayRowReader(VALUES, columnIndexes(NAMES)))).toEqual(expected);
    // A name given twice is its last column in both.
    expect(arrayRowReader(VALUES, columnIndexes(NAMES)).text('dup')).toBe('last');
    expect(expected.length).toBeGreaterThan(80);
  });
});
