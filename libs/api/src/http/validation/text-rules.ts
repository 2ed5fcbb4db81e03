/**
 * Characters refused in request text (docs/decisions.md, "HTTP edge"). Two rules:
 *
 * - single-line fields (names, references, identifiers, codes, dates, amounts: every string field that is
 *   not free text): no control character (C0, DEL, C1), no line or paragraph separator, no bidi control
 *   (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), no zero-width or invisible joiner (U+200B–U+200D,
 *   U+2060–U+2064, U+FEFF), no lone surrogate. Such text renders differently from what it is (a name
 *   that reads backwards, two "equal" references), or breaks the line-oriented tools that show it.
 * - free text (reasons, evidence): line breaks and tabs are kept, and so are bidi marks and joiners that
 *   real Arabic, Hebrew or emoji text needs; NUL and the other control characters, and lone surrogates
 *   (not text at all: they cannot be encoded as UTF-8), are refused.
 */

/** A UTF-16 surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SINGLE_LINE_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
// eslint-disable-next-line no-control-regex -- tab, line feed and carriage return are allowed in free text
const FREE_TEXT_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export type TextRule = 'single-line' | 'free-text';

export interface ForbiddenCharacter {
  /** UTF-16 index of the first forbidden character. */
  readonly index: number;
  /** e.g. "U+202E". */
  readonly codePoint: string;
}

function firstMatch(pattern: RegExp, value: string): number {
  const match = pattern.exec(value);
  return match ? match.index : -1;
}

/** The first character `rule` refuses in `value`, or undefined. */
export function forbiddenCharacterIn(
  value: string,
  rule: TextRule,
): ForbiddenCharacter | undefined {
  const indexes = [
    firstMatch(LONE_SURROGATE, value),
    firstMatch(rule === 'single-line' ? SINGLE_LINE_FORBIDDEN : FREE_TEXT_FORBIDDEN, value),
  ].filter((index) => index >= 0);
  if (indexes.length === 0) return undefined;
  const index = Math.min(...indexes);
  const code = value.charCodeAt(index);
  return { index, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}

export function forbiddenCharacterMessage(
  path: string,
  found: ForbiddenCharacter,
  rule: TextRule,
): string {
  const what =
    rule === 'single-line'
      ? 'control, line-break, bidi, zero-width characters and lone surrogates are not allowed'
      : 'NUL, control characters and lone surrogates are not allowed';
  return `${path} contains a forbidden character (${found.codePoint} at index ${found.index}): ${what}`;
}

/** The stable code of both refusals. */
export const FORBIDDEN_CHARACTER_CODE = 'FIELD.FORBIDDEN_CHARACTER';

const ESCAPED = new RegExp(`${LONE_SURROGATE.source}|${SINGLE_LINE_FORBIDDEN.source}`, 'g');

/** `value` with every character the single-line rule refuses written as \uXXXX: safe to echo in a message. */
export function escapeForbiddenCharacters(value: string): string {
  return value.replace(
    ESCAPED,
    (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Request classes' free-text properties (TextField, OptionalTextField, ReasonsField in fields.ts). */
const FREE_TEXT_PROPERTIES = new WeakMap<object, Set<string>>();

/** Property decorator: this field is free text (the pipe applies the free-text rule, not single-line). */
export function FreeText(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    const names = FREE_TEXT_PROPERTIES.get(target.constructor) ?? new Set<string>();
    names.add(String(propertyKey));
    FREE_TEXT_PROPERTIES.set(target.constructor, names);
  };
}

export function isFreeTextProperty(metatype: unknown, property: string): boolean {
  for (
    let type = metatype;
    typeof type === 'function' && type !== Function.prototype;
    type = Object.getPrototypeOf(type) as unknown
  ) {
    if (FREE_TEXT_PROPERTIES.get(type)?.has(property)) return true;
  }
  return false;
}

/**
 * The single-line rule over a request body of class `metatype`: every string property that is not free
 * text, the strings of arrays, and the string properties of objects in arrays (nested DTOs such as
 * `scores[0].district`). A free-form object (claim evidence, checked by the policy engine) is free text.
 */
export function singleLineProblems(
  body: Record<string, unknown>,
  metatype: unknown,
): Array<{ path: string; found: ForbiddenCharacter }> {
  const problems: Array<{ path: string; found: ForbiddenCharacter }> = [];
  const check = (path: string, value: unknown): void => {
    if (typeof value !== 'string') return;
    const found = forbiddenCharacterIn(value, 'single-line');
    if (found) problems.push({ path, found });
  };
  for (const [property, value] of Object.entries(body)) {
    if (isFreeTextProperty(metatype, property)) continue;
    check(property, value);
    if (!Array.isArray(value)) continue;
    value.forEach((element: unknown, index) => {
      check(`${property}[${index}]`, element);
      if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
        for (const [nested, nestedValue] of Object.entries(element))
          check(`${property}[${index}].${nested}`, nestedValue);
      }
    });
  }
  return problems;
}
