/** The schema's defaults (@hz/config) are the values the libraries fall back to when given nothing. */
import { ENVIRONMENT, loadEnvironment } from '@hz/config';
import { EVENT_STORE_KINDS } from '@hz/event-store';
import * as projections from '@hz/projections';
import { RATE_LIMIT_DEFAULT_PER_MINUTE, READY_MAX_LAG_EVENTS_DEFAULT } from '@hz/api';
import { DEFAULT_PROVIDER_CLAIMS } from '@hz/auth';
import { HZ_CBEC_2023 } from '@hz/policy';

describe('environment schema defaults', () => {
  it('match the constants of the libraries that use them', () => {
    const settings = loadEnvironment({});
    expect({
      wait: settings.LEDGER_MIN_POSITION_WAIT_MS,
      lease: settings.LEDGER_PROJECTOR_LEASE_TTL_MS,
      rate: settings.LEDGER_RATE_LIMIT_PER_MINUTE,
      lag: settings.LEDGER_READY_MAX_LAG_EVENTS,
      roles: settings.LEDGER_OIDC_ROLES_CLAIM,
      applicant: settings.LEDGER_OIDC_APPLICANT_CLAIM,
      threshold: settings.LEDGER_COUNTERSIGN_THRESHOLD,
    }).toEqual({
      wait: projections.MIN_POSITION_WAIT_DEFAULT_MS,
      lease: projections.PROJECTOR_LEASE_TTL_DEFAULT_MS,
      rate: RATE_LIMIT_DEFAULT_PER_MINUTE,
      lag: READY_MAX_LAG_EVENTS_DEFAULT,
      roles: DEFAULT_PROVIDER_CLAIMS.roles,
      applicant: DEFAULT_PROVIDER_CLAIMS.applicant,
      threshold: HZ_CBEC_2023.countersignThreshold.toString(),
    });
    expect(
      ENVIRONMENT.LEDGER_MIN_POSITION_WAIT_MS.parse(
        String(projections.MIN_POSITION_WAIT_MAX_MS),
        'x',
      ),
    ).toBe(projections.MIN_POSITION_WAIT_MAX_MS);
    expect(ENVIRONMENT.LEDGER_EVENT_STORE.type).toBe(
      EVENT_STORE_KINDS.map((kind) => `\`${kind}\``).join(' \\| '),
    );
  });
});
