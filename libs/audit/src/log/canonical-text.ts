/**
 * Whether a stored JSON text is already canonical (kernel canonicalJson: keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers as JSON.stringify writes them), checked in one pass over the text
 * without parsing or re-serialising it (issue 13, docs/benchmarks.md "Verify and seal, CPU per event").
 *
 * Why it is needed: the audits hash an event's stored texts as they are (./raw-events.ts). A stored text
 * that hashes to its stored hash is the text that was hashed, but only a canonical text is what
 * computeEventHash hashes: a row rewritten with re-ordered keys or re-spaced JSON and a hash recomputed
 * over that text would otherwise pass, where computeEventHash (parse, canonicalise, hash) finds the hash
 * wrong.
 *
 * Conservative: `true` only for a text that canonicalJson(JSON.parse(text)) gives back unchanged. Rare
 * forms it does not try to judge (a key or string holding an escape other than \" \\ \b \f \n \r \t, a
 * lone surrogate, nesting deeper than canonicalJson allows) answer `false`, and the caller then parses
 * and hashes exactly: slower, never wrong.
 */

/** Deeper texts are left to the exact path (canonicalJson refuses nesting past 64 levels). */
const DEPTH_MAX = 32;

const LITERALS = ['true', 'false', 'null'] as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Escapes JSON.stringify writes for these characters: \" \\ \b \f \n \r \t. */
function isShortEscape(code: number): boolean {
  return (
    code === QUOTE ||
    code === BACKSLASH ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

function isNumberChar(code: number): boolean {
  // 0-9 . - + e E
  return (
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2e ||
    code === 0x2d ||
    code === 0x2b ||
    code === 0x65 ||
    code === 0x45
  );
}

/** A backslash, a control character or a surrogate: what a string of a text without them cannot hold. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const NOT_PLAIN = /[\\\u0000-\u001f\ud800-\udfff]/;

class Scanner {
  at = 0;
  /**
   * The text holds no backslash, control character or surrogate (one native regular-expression test of
   * the whole text): then every string in it is plain, ends at the next quote and is found with indexOf
   * instead of a loop over its characters (issue 13: the loop was about 6% of verify's pass).
   */
  private readonly plain: boolean;
  constructor(readonly text: string) {
    this.plain = !NOT_PLAIN.test(text);
  }

  /**
   * A string starting at `at` (a quote), written as JSON.stringify writes it; returns the index after its
   * closing quote, or -1. `escapes` is set when it holds any escape (keys with one are not compared).
   */
  escapes = false;

  string(): number {
    const text = this.text;
    if (this.plain) {
      const end = text.indexOf('"', this.at + 1);
      return end === -1 ? -1 : end + 1;
    }
    let index = this.at + 1;
    for (;;) {
      if (index >= text.length) return -1;
      const code = text.charCodeAt(index);
      if (code === QUOTE) return index + 1;
      if (code < 0x20) return -1;
      if (code === BACKSLASH) {
        if (!isShortEscape(text.charCodeAt(index + 1))) return -1;
        this.escapes = true;
        index += 2;
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        // Only a well-formed pair is written raw; JSON.stringify escapes a lone surrogate.
        const next = text.charCodeAt(index + 1);
        if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
        index += 2;
        continue;
      }
      index += 1;
    }
  }

  /** Any value at `at`; advances past it. */
  value(depth: number): boolean {
    const text = this.text;
    const code = text.charCodeAt(this.at);
    if (code === OPEN_BRACE) return this.object(depth + 1);
    if (code === OPEN_BRACKET) return this.array(depth + 1);
    if (code === QUOTE) {
      const end = this.string();
      if (end === -1) return false;
      this.at = end;
      return true;
    }
    for (const literal of LITERALS)
      if (text.startsWith(literal, this.at)) {
        this.at += literal.length;
        return true;
      }
    let end = this.at;
    while (end < text.length && isNumberChar(text.charCodeAt(end))) end += 1;
    if (end === this.at) return false;
    const token = text.slice(this.at, end);
    // Number('') and Number('-') are 0 and NaN: neither writes back as the token. A token that writes
    // back as itself is a JSON number in JSON.stringify's form (no leading zero, no '+', no '-0', no '1.0').
    const number = Number(token);
    if (!Number.isFinite(number) || String(number) !== token) return false;
    this.at = end;
    return true;
  }

  object(depth: number): boolean {
    if (depth > DEPTH_MAX) return false;
    const text = this.text;
    this.at += 1;
    if (text.charCodeAt(this.at) === CLOSE_BRACE) {
      this.at += 1;
      return true;
    }
    // The previous key as [start, end) of the text (-1: none yet), compared in place: no key is copied.
    let previousStart = -1;
    let previousEnd = -1;
    for (;;) {
      if (text.charCodeAt(this.at) !== QUOTE) return false;
      this.escapes = false;
      const end = this.string();
      if (end === -1 || this.escapes) return false;
      // Without escapes the text between the quotes is the key itself, compared by UTF-16 code units.
      const keyStart = this.at + 1;
      const keyEnd = end - 1;
      if (previousStart !== -1 && !isBefore(text, previousStart, previousEnd, keyStart, keyEnd))
        return false;
      previousStart = keyStart;
      previousEnd = keyEnd;
      if (text.charCodeAt(end) !== COLON) return false;
      this.at = end + 1;
      if (!this.value(depth)) return false;
      const next = text.charCodeAt(this.at);
      this.at += 1;
      if (next === CLOSE_BRACE) return true;
      if (next !== COMMA) return false;
    }
  }

  array(depth: number): boolean {
    if (depth > DEPTH_MAX) return false;
    const text = this.text;
    this.at += 1;
    if (text.charCodeAt(this.at) === CLOSE_BRACKET) {
      this.at += 1;
      return true;
    }
    for (;;) {
      if (!this.value(depth)) return false;
      const next = text.charCodeAt(this.at);
      this.at += 1;
      if (next === CLOSE_BRACKET) return true;
      if (next !== COMMA) return false;
    }
  }
}

/**
 * Whether text[aStart, aEnd) sorts strictly before text[bStart, bEnd) by UTF-16 code units: the order of
 * `<` on the two substrings (a proper prefix sorts first), without making them.
 */
function isBefore(
  text: string,
  aStart: number,
  aEnd: number,
  bStart: number,
  bEnd: number,
): boolean {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let index = 0; index < common; index += 1) {
    const a = text.charCodeAt(aStart + index);
    const b = text.charCodeAt(bStart + index);
    if (a !== b) return a < b;
  }
  return aLength < bLength;
}

/** True when `text` is a JSON object exactly as canonicalJson writes it (see the header). */
export function isCanonicalObjectText(text: string): boolean {
  if (text.charCodeAt(0) !== OPEN_BRACE) return false;
  const scanner = new Scanner(text);
  return scanner.object(0) && scanner.at === text.length;
}
