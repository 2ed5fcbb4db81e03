/**
 * How one environment variable is read (docs/operations.md "Environment"): its type for the docs, its
 * default as an operator would write it, and a parser whose message names the variable and the value.
 */

/** A value the parser refuses; the message names the variable (docs/architecture.md §1). */
export class SettingProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingProblem';
  }
}

export interface Variable<T> {
  /** The type as the environment table shows it. */
  readonly type: string;
  /** The default as text (parsed like a given value); absent = unset. */
  readonly default?: string;
  /** What it does, one sentence for the environment table. */
  readonly doc: string;
  /** True when the value must never be echoed (passwords, tokens, secrets). */
  readonly secret?: boolean;
  /** Parses the trimmed, non-empty text; throws SettingProblem naming `name`. */
  readonly parse: (text: string, name: string) => T;
}

type Spec = Pick<Variable<unknown>, 'doc' | 'default' | 'secret'>;

export function text<S extends Spec>(spec: S, type = 'text'): Variable<string> & S {
  return { ...spec, type, parse: (value) => value };
}

export function oneOf<const T extends string, S extends Spec>(
  allowed: readonly T[],
  spec: S,
): Variable<T> & S {
  return {
    ...spec,
    type: allowed.map((value) => `\`${value}\``).join(' \\| '),
    parse: (value, name) => {
      if ((allowed as readonly string[]).includes(value)) return value as T;
      throw new SettingProblem(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    },
  };
}

/** A whole number written with at most `digits` digits, within [min, max]; `rule` words the message. */
export function integer<S extends Spec>(
  bounds: { readonly min: number; readonly max: number; readonly digits: number },
  rule: string,
  spec: S,
): Variable<number> & S {
  const shape = new RegExp(`^[0-9]{1,${bounds.digits}}$`);
  return {
    ...spec,
    type: `integer ${bounds.min}..${bounds.max}`,
    parse: (value, name) => {
      const number = shape.test(value) ? Number(value) : Number.NaN;
      if (number >= bounds.min && number <= bounds.max) return number;
      throw new SettingProblem(`${name} must be ${rule}, got "${value}"`);
    },
  };
}

export function port<S extends Spec>(spec: S): Variable<number> & S {
  return integer(
    { min: 0, max: 65535, digits: 5 },
    'an integer 0..65535 (0 = any free port)',
    spec,
  );
}

export function seconds<S extends Spec>(spec: S): Variable<number> & S {
  return integer({ min: 1, max: 2_592_000, digits: 7 }, 'a number of seconds 1..2592000', spec);
}

/**
 * Text that passes `accepts`, else "NAME must RULE"; the value is never echoed (a URL may hold a
 * password, a token is a secret).
 */
function checkedText<S extends Spec>(
  type: string,
  accepts: (value: string) => boolean,
  rule: string,
  spec: S,
): Variable<string> & S {
  return {
    ...spec,
    type,
    parse: (value, name) => {
      if (accepts(value)) return value;
      throw new SettingProblem(`${name} must ${rule}`);
    },
  };
}

/** A URL whose scheme matches `scheme`. */
export function url<S extends Spec>(
  scheme: RegExp,
  wording: string,
  spec: S,
): Variable<string> & S {
  return checkedText('URL', (value) => scheme.test(value), `be ${wording}`, spec);
}

/** Text matching `shape`, e.g. a size such as 256kb. */
export function matching<S extends Spec>(
  shape: RegExp,
  rule: string,
  spec: S,
): Variable<string> & S {
  return checkedText('text', (value) => shape.test(value), rule, spec);
}

/** A secret of at least `bytes` bytes (UTF-8). */
export function secret<S extends Omit<Spec, 'secret'>>(
  bytes: number,
  hint: string,
  spec: S,
): Variable<string> & S & { readonly secret: true } {
  const accepts = (value: string): boolean => Buffer.byteLength(value) >= bytes;
  const rule = `be at least ${bytes} bytes${hint}`;
  return { ...checkedText(`secret, ${bytes}+ bytes`, accepts, rule, spec), secret: true };
}
