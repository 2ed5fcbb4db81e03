import {
  escapeForbiddenCharacters,
  forbiddenCharacterIn,
  FreeText,
  isFreeTextProperty,
  singleLineProblems,
} from './text-rules';

describe('forbiddenCharacterIn', () => {
  it('refuses controls, line breaks, bidi controls, zero-width characters and lone surrogates in single-line text', () => {
    const refused = [
      '\u0000',
      '\u0009',
      '\u000a',
      '\u000d',
      '\u001f',
      '\u007f',
      '\u0080',
      '\u009f',
      '\u061c',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\u2028',
      '\u2029',
      '\u202a',
      '\u202e',
      '\u2060',
      '\u2066',
      '\u2069',
      '\ufeff',
      '\ud800',
      '\udbff',
      '\udc00',
      '\udfff',
    ];
    for (const character of refused) {
      const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(forbiddenCharacterIn(`ab${character}c`, 'single-line')).toEqual({
        index: 2,
        codePoint: code,
      });
    }
  });

  it('accepts ordinary names in any script, and surrogate pairs', () => {
    for (const name of [
      'Hangzhou Mall Co., Ltd.',
      '杭州跨境电商有限公司',
      'شركة',
      'Ünïcödé & Søn',
      'Emoji 😀 Co',
      "O'Brien-Smith (HZ) / 2",
    ]) {
      expect(forbiddenCharacterIn(name, 'single-line')).toBeUndefined();
      expect(forbiddenCharacterIn(name, 'free-text')).toBeUndefined();
    }
  });

  it('keeps tab, CR, LF, bidi marks and joiners in free text, refusing NUL, other controls and lone surrogates', () => {
    expect(
      forbiddenCharacterIn('one\r\ntwo\tthree \u200f\u202e\u200d', 'free-text'),
    ).toBeUndefined();
    expect(forbiddenCharacterIn('a\u0000', 'free-text')).toEqual({ index: 1, codePoint: 'U+0000' });
    expect(forbiddenCharacterIn('a\u001b[31m', 'free-text')).toEqual({
      index: 1,
      codePoint: 'U+001B',
    });
    expect(forbiddenCharacterIn('\u0085', 'free-text')).toEqual({ index: 0, codePoint: 'U+0085' });
    expect(forbiddenCharacterIn('😀\ud83d', 'free-text')).toEqual({
      index: 2,
      codePoint: 'U+D83D',
    });
    expect(forbiddenCharacterIn('\ude00😀', 'free-text')).toEqual({
      index: 0,
      codePoint: 'U+DE00',
    });
  });

  it('reports the first forbidden character, whichever rule finds it', () => {
    expect(forbiddenCharacterIn('x\ud800y\u0000', 'free-text')).toEqual({
      index: 1,
      codePoint: 'U+D800',
    });
    expect(forbiddenCharacterIn('x\u0000y\ud800', 'free-text')).toEqual({
      index: 1,
      codePoint: 'U+0000',
    });
  });

  it('escapes what it refuses, so a message can quote the text', () => {
    expect(escapeForbiddenCharacters('a\u202eb\r\n\ud800😀')).toBe(
      'a\\u202Eb\\u000D\\u000A\\uD800😀',
    );
  });
});

class Sample {
  @FreeText() reason!: string;
  name!: string;
}
class Derived extends Sample {}

describe('singleLineProblems', () => {
  it('checks every string that is not free text: top level, arrays, objects in arrays; not free-form objects', () => {
    expect(isFreeTextProperty(Sample, 'reason')).toBe(true);
    expect(isFreeTextProperty(Derived, 'reason')).toBe(true);
    expect(isFreeTextProperty(Sample, 'name')).toBe(false);
    const body = {
      reason: 'a\nb',
      name: 'x\u202ey',
      refs: ['ok', 'b\u200bad'],
      scores: [{ district: 'xi\u0000hu' }],
      evidence: { note: 'two\nlines' },
    };
    expect(singleLineProblems(body, Derived)).toEqual([
      { path: 'name', found: { index: 1, codePoint: 'U+202E' } },
      { path: 'refs[1]', found: { index: 1, codePoint: 'U+200B' } },
      { path: 'scores[0].district', found: { index: 2, codePoint: 'U+0000' } },
    ]);
  });
});
