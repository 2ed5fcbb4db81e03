/**
 * The command registry (docs/architecture.md §2 "Commands"): one entry per command type, and the stream a
 * command is decided on read from its entry.
 */
import {
  ALLOCATION_COMMANDS,
  APPLICANT_COMMANDS,
  applicantOfCommand,
  COMMAND_DEFINITIONS,
  COMMAND_TYPES,
  commandDefinition,
  targetOf,
} from './command-registry';
import type { ApplicantCommand, LedgerCommand } from './commands';
import { DomainError } from './errors';
import { asAdmin, asApplicant, asFinance, asReviewer } from './testing/fixtures';
import { usccFromPrefix } from './guards';

const USCC = usccFromPrefix('91330106MA2C00003');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('the command registry', () => {
  it('has one entry per command type, under its own name, with at least one role', () => {
    const keys = [...Object.keys(APPLICANT_COMMANDS), ...Object.keys(ALLOCATION_COMMANDS)];
    expect(new Set(keys).size).toBe(13);
    expect([...keys].sort()).toEqual(COMMAND_TYPES);
    for (const definition of COMMAND_DEFINITIONS) {
      expect(commandDefinition(definition.type)).toBe(definition);
      expect(definition.roles.length).toBeGreaterThan(0);
    }
  });

  it('gives every write route its own method and path', () => {
    const routes = COMMAND_DEFINITIONS.map(({ http }) => `${http.method} ${http.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('knows no inherited or unknown type', () => {
    expect(commandDefinition('toString')).toBeUndefined();
    expect(commandDefinition('DeleteEverything')).toBeUndefined();
  });
});

describe('targetOf', () => {
  const command = (type: string, data: object, metadata = asAdmin()) =>
    ({ type, data, metadata }) as unknown as LedgerCommand;

  it('routes by the field the entry names: USCC, applicant, claim id or plan id', () => {
    expect(targetOf(command('RegisterApplicant', { uscc: USCC }))).toMatchObject({
      kind: 'applicant',
      streamId: `applicant-${USCC}`,
      uscc: USCC,
    });
    expect(targetOf(command('SubmitClaim', { applicant: USCC }, asApplicant(USCC)))).toMatchObject({
      streamId: `applicant-${USCC}`,
    });
    expect(targetOf(command('DecideClaim', { claimId: `${USCC}-7` }, asReviewer()))).toMatchObject({
      kind: 'applicant',
      uscc: USCC,
    });
    expect(targetOf(command('DecideAllocationPlan', { planId: 'park-2024' }, asFinance()))).toEqual(
      expect.objectContaining({
        kind: 'allocation',
        streamId: 'allocation-park-2024',
        planId: 'park-2024',
      }),
    );
  });

  it('refuses what names no stream, with the codes the API answers', () => {
    expect(codeOf(() => targetOf(command('RegisterApplicant', { uscc: 'nope' })))).toBe(
      'USCC.INVALID',
    );
    expect(codeOf(() => targetOf(command('RevokeClaim', { claimId: 'nope' })))).toBe(
      'CLAIM.NOT_FOUND',
    );
    expect(codeOf(() => targetOf(command('DecideAllocationPlan', { planId: '' })))).toBe(
      'COMMAND.INVALID',
    );
    expect(codeOf(() => targetOf(command('DeleteEverything', {})))).toBe('COMMAND.UNKNOWN_TYPE');
  });

  it('names the applicant a command acts on without checking it (null when none)', () => {
    const withdraw = { type: 'WithdrawClaim', data: { claimId: `${USCC}-1` } } as ApplicantCommand;
    expect(applicantOfCommand(withdraw)).toBe(USCC);
    const malformed = {
      type: 'WithdrawClaim',
      data: { claimId: 42 },
    } as unknown as ApplicantCommand;
    expect(applicantOfCommand(malformed)).toBeNull();
  });
});
