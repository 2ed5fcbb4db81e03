/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-symbol alphabet
 * (no I, O, S, V, Z), the last one a check character over the first 17. Pure, so the HTTP layer, the CLI
 * and the domain all agree on what a valid applicant id is.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_LENGTH = 18;

const WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const MODULUS = 31;
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const PREFIX_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

function valueOf(symbol: string): number {
  const value = USCC_ALPHABET.indexOf(symbol);
  if (value < 0) throw new RangeError(`"${symbol}" is not a USCC symbol`);
  return value;
}

/** The check character for a 17-character prefix; callers have checked the prefix's shape. */
function checkSymbolFor(prefix: string): string {
  let sum = 0;
  for (let index = 0; index < WEIGHTS.length; index += 1) {
    sum += valueOf(prefix.charAt(index)) * (WEIGHTS[index] ?? 0);
  }
  const check = (MODULUS - (sum % MODULUS)) % MODULUS;
  return USCC_ALPHABET.charAt(check);
}

/** True when `code` has 18 symbols of the alphabet (upper case) and a correct check character. */
export function isValidUscc(code: unknown): code is string {
  if (typeof code !== 'string' || !USCC_SHAPE.test(code)) return false;
  return checkSymbolFor(code.slice(0, 17)) === code.charAt(17);
}

/** Completes a 17-symbol prefix with its check character (tests, demo data, fixtures). */
export function usccFromPrefix(prefix: string): string {
  if (!PREFIX_SHAPE.test(prefix)) {
    throw new RangeError(`a USCC prefix is 17 symbols of "${USCC_ALPHABET}", got "${prefix}"`);
  }
  return prefix + checkSymbolFor(prefix);
}
