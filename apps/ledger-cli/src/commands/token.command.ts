/** `ledger token`: a development token for the embedded default (HS256 with the service's secret). */
import { givenText } from '@hz/config';
import { mintToken, isRole, type Role } from '@hz/auth';
import { isValidUscc } from '@hz/ledger';
import { ledgerEnvFrom, resolveJwtSecret } from '@hz/audit';
import {
  EXIT_OK,
  requiredString,
  stringOption,
  UsageError,
  type CommandSpec,
  type OptionValues,
} from '../cli-frame';

export const tokenCommand: CommandSpec = {
  name: 'token',
  summary: 'mint a development JWT (HS256 with LEDGER_JWT_SECRET or <dataDir>/jwt-secret)',
  help: `Usage: ledger token --sub <id> --role <role> [--role <role> ...] [--applicant <uscc>] [--ttl 8h]

Prints a bearer token for the embedded default. Roles: applicant, reviewer, finance, auditor, admin.
An applicant token must name the USCC it acts for with --applicant. The secret is LEDGER_JWT_SECRET, or
the file <dataDir>/jwt-secret that the service writes on first start; if neither exists it is created
the same way (32 random bytes, hex, mode 0600).

Options:
  --sub <id>           the subject (user id)
  --role <role>        a role; repeat for several
  --applicant <uscc>   the applicant the token acts for (role applicant)
  --ttl <span>         lifetime: seconds or a span such as 30m, 8h, 7d (default 8h)
  --issuer <iss>, --audience <aud>   when the service checks them (LEDGER_JWT_ISSUER / _AUDIENCE)

Example:
  curl -H "Authorization: Bearer $(npm run -s ledger -- token --sub alice --role auditor)" localhost:3000/api/v1/audit/verify`,
  options: {
    sub: { type: 'string' },
    role: { type: 'string', multiple: true },
    applicant: { type: 'string' },
    ttl: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
  },
  async run(values, io) {
    const sub = requiredString(values, 'sub');
    const roles = rolesOption(values);
    const applicant = stringOption(values, 'applicant');
    if (applicant !== undefined && !isValidUscc(applicant))
      throw new UsageError(`--applicant: "${applicant}" is not a valid USCC`);
    if (roles.includes('applicant') && applicant === undefined)
      throw new UsageError('an applicant token needs --applicant <uscc>');
    const ttl = ttlOption(stringOption(values, 'ttl') ?? '8h');
    const ledgerEnv = ledgerEnvFrom(io.env, io.cwd);
    const secret = resolveJwtSecret(io.env, ledgerEnv.dataDir, { create: true })!;
    if (secret.source === 'created') io.stderr.write(`created a JWT secret in ${secret.path}\n`);
    const issuer = stringOption(values, 'issuer') ?? givenText(io.env, 'LEDGER_JWT_ISSUER');
    const audience = stringOption(values, 'audience') ?? givenText(io.env, 'LEDGER_JWT_AUDIENCE');
    const token = await mintToken({
      sub,
      roles,
      applicant,
      secret: secret.secret,
      ttl,
      issuer,
      audience,
    });
    io.stdout.write(`${token}\n`);
    return EXIT_OK;
  },
};

function rolesOption(values: OptionValues): Role[] {
  const raw = values['role'];
  const roles = Array.isArray(raw)
    ? raw.filter((role): role is string => typeof role === 'string')
    : [];
  if (roles.length === 0) throw new UsageError('at least one --role is required');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown role(s) ${unknown.join(', ')}: use applicant, reviewer, finance, auditor, admin, adjuster`,
    );
  return roles as Role[];
}

/** A bare number is seconds; otherwise a jose time span, checked here so a typo is a usage error. */
function ttlOption(text: string): number | string {
  if (/^[1-9][0-9]{0,7}$/.test(text)) return Number(text);
  if (
    /^[1-9][0-9]{0,5} ?(s|sec|secs|m|min|mins|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.test(
      text,
    )
  )
    return text;
  throw new UsageError(`--ttl must be seconds or a span such as 30m, 8h, 7d, got "${text}"`);
}
