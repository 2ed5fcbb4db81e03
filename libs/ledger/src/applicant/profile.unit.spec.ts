import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  asAdmin,
  asApplicant,
  asReviewer,
  CONTEXT,
  historyOf,
  NOW,
  register,
  XIAOSHAN_CO,
} from '../testing/fixtures';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const registered = () => historyOf(register(XIAOSHAN_CO, 'xiaoshan'));

describe('RegisterApplicant', () => {
  it('registers a new applicant in a known district', () => {
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: XIAOSHAN_CO, name: '杭州示例跨境电商有限公司', district: 'xiaoshan' },
        metadata: asAdmin(),
      })
      .then([
        {
          type: 'ApplicantRegistered',
          data: { uscc: XIAOSHAN_CO, name: '杭州示例跨境电商有限公司', district: 'xiaoshan' },
        },
      ]);
  });

  it('trims the name', () => {
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: XIAOSHAN_CO, name: '  Acme  ', district: 'xihu' },
        metadata: asAdmin(),
      })
      .thenMatches([{ data: { name: 'Acme' } }]);
  });

  it('refuses a second registration (409)', () => {
    spec
      .given(registered())
      .when(register(XIAOSHAN_CO, 'xihu'))
      .thenFails('APPLICANT.ALREADY_REGISTERED');
  });

  it('refuses a USCC with a wrong check character', () => {
    const wrong = XIAOSHAN_CO.slice(0, 17) + (XIAOSHAN_CO.endsWith('0') ? '1' : '0');
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: wrong, name: 'Acme', district: 'xihu' },
        metadata: asAdmin(),
      })
      .thenFails('USCC.INVALID');
  });

  it('refuses a blank name', () => {
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: XIAOSHAN_CO, name: '   ', district: 'xihu' },
        metadata: asAdmin(),
      })
      .thenFails('APPLICANT.NAME_REQUIRED');
  });

  it('refuses an unknown district', () => {
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: XIAOSHAN_CO, name: 'Acme', district: 'shanghai' },
        metadata: asAdmin(),
      })
      .thenFails('APPLICANT.UNKNOWN_DISTRICT', { district: 'shanghai' });
  });

  it('is for admins only', () => {
    spec
      .given([])
      .when({
        type: 'RegisterApplicant',
        data: { uscc: XIAOSHAN_CO, name: 'Acme', district: 'xihu' },
        metadata: asReviewer(),
      })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED', { role: 'reviewer' });
  });
});

describe('RelocateApplicant', () => {
  const relocate = (district: string, effectiveDate = '2024-07-01') => ({
    type: 'RelocateApplicant' as const,
    data: { uscc: XIAOSHAN_CO, district, effectiveDate },
    metadata: asAdmin(),
  });

  it('moves the applicant to another known district', () => {
    spec
      .given(registered())
      .when(relocate('binjiang'))
      .then([
        {
          type: 'ApplicantRelocated',
          data: {
            uscc: XIAOSHAN_CO,
            fromDistrict: 'xiaoshan',
            toDistrict: 'binjiang',
            effectiveDate: '2024-07-01',
          },
        },
      ]);
  });

  it('moves from the district in force, i.e. the latest relocation', () => {
    spec
      .given(historyOf(register(XIAOSHAN_CO, 'xiaoshan'), relocate('binjiang')))
      .when(relocate('xihu'))
      .thenMatches([{ data: { fromDistrict: 'binjiang', toDistrict: 'xihu' } }]);
  });

  it('refuses an unknown applicant (404)', () => {
    spec.given([]).when(relocate('binjiang')).thenFails('APPLICANT.NOT_FOUND');
  });

  it('refuses an unknown district', () => {
    spec.given(registered()).when(relocate('atlantis')).thenFails('APPLICANT.UNKNOWN_DISTRICT');
  });

  it('refuses the district the applicant is already in', () => {
    spec.given(registered()).when(relocate('xiaoshan')).thenFails('APPLICANT.SAME_DISTRICT');
  });

  it('refuses a malformed effective date', () => {
    spec
      .given(registered())
      .when(relocate('binjiang', '2024-02-30'))
      .thenFails('COMMAND.INVALID', { field: 'effectiveDate' });
  });

  it('refuses an effective date after the ledger time (Hangzhou calendar)', () => {
    expect(NOW).toBe('2024-07-01T10:00:00+08:00');
    spec
      .given(registered())
      .when(relocate('binjiang', '2024-07-02'))
      .thenFails('APPLICANT.RELOCATION_IN_FUTURE');
  });
});

describe('RaiseIntegrityFlag / ClearIntegrityFlag (clause 十)', () => {
  const raise = (reason = 'listed as dishonest') => ({
    type: 'RaiseIntegrityFlag' as const,
    data: { uscc: XIAOSHAN_CO, reason },
    metadata: asAdmin(),
  });
  const clear = (reason = 'removed from the list') => ({
    type: 'ClearIntegrityFlag' as const,
    data: { uscc: XIAOSHAN_CO, reason },
    metadata: asAdmin(),
  });
  const flagged = () => historyOf(register(XIAOSHAN_CO, 'xiaoshan'), raise());

  it('raises a flag with a reason', () => {
    spec
      .given(registered())
      .when(raise())
      .then([
        { type: 'IntegrityFlagRaised', data: { uscc: XIAOSHAN_CO, reason: 'listed as dishonest' } },
      ]);
  });

  it('refuses a flag without a reason', () => {
    spec.given(registered()).when(raise('  ')).thenFails('APPLICANT.REASON_REQUIRED');
  });

  it('refuses a second flag', () => {
    spec.given(flagged()).when(raise()).thenFails('APPLICANT.ALREADY_FLAGGED');
  });

  it('refuses to flag an unknown applicant', () => {
    spec.given([]).when(raise()).thenFails('APPLICANT.NOT_FOUND');
  });

  it('clears a flag with a reason', () => {
    spec
      .given(flagged())
      .when(clear())
      .then([
        {
          type: 'IntegrityFlagCleared',
          data: { uscc: XIAOSHAN_CO, reason: 'removed from the list' },
        },
      ]);
  });

  it('refuses to clear when there is no flag', () => {
    spec.given(registered()).when(clear()).thenFails('APPLICANT.NOT_FLAGGED');
  });

  it('refuses a clearance without a reason', () => {
    spec.given(flagged()).when(clear('')).thenFails('APPLICANT.REASON_REQUIRED');
  });

  it('refuses to clear for an unknown applicant', () => {
    spec.given([]).when(clear()).thenFails('APPLICANT.NOT_FOUND');
  });

  it('is not for applicants themselves', () => {
    spec
      .given(flagged())
      .when({ ...clear(), metadata: asApplicant(XIAOSHAN_CO) })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });
});
