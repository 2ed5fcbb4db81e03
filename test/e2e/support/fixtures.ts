/** Test data: valid USCCs, evidence for every claimable program, and the actors of a scenario. */
import { usccFromPrefix } from '@hz/ledger';
import { Client } from './client';
import type { TestServer } from './server';

let sequence = 0;

/** A fresh valid USCC per call, so scenarios in one store never share an applicant. */
export function newUscc(): string {
  sequence += 1;
  const serial = String(sequence + Math.floor(Math.random() * 1e6) * 100)
    .padStart(9, '0')
    .slice(-9);
  return usccFromPrefix(`91330106${serial}`);
}

/** Evidence per claimable program for support year 2024, and the ceiling it yields (docs/policy.md §3). */
export const PROGRAM_CASES: ReadonlyArray<{
  code: string;
  evidence: Record<string, unknown>;
  ceiling: string;
}> = [
  { code: 'c1-platform', evidence: { platformName: 'HZ Mall' }, ceiling: '1000000.00' },
  {
    code: 'c1-customs-export',
    evidence: { customsModes: ['9610', '9710'], exportValue: '50000000.00' },
    ceiling: '2000000.00',
  },
  {
    code: 'c1-independent-site',
    evidence: { siteDomain: 'shop.example.com' },
    ceiling: '2000000.00',
  },
  {
    code: 'c2-service-provider',
    evidence: {
      servedEnterprises: 60,
      serviceRevenue: '12075000.00',
      priorYearServiceRevenue: '10500000.00',
    },
    ceiling: '1000000.00',
  },
  {
    code: 'c3-trademark',
    evidence: {
      items: [
        item('100000.00', { country: 'US', reference: 'TM-1' }),
        item('200000.00', { country: 'DE', reference: 'TM-2' }),
      ],
    },
    ceiling: '200000.00',
  },
  {
    code: 'c3-certification',
    evidence: { items: [item('100000.00', { country: 'US', reference: 'CE-1' })] },
    ceiling: '70000.00',
  },
  {
    code: 'c3-patent',
    evidence: { items: [item('300000.00', { country: 'JP', reference: 'PT-1' })] },
    ceiling: '150000.00',
  },
  {
    code: 'c4-brand-promotion',
    evidence: { items: [item('400000.00', { channel: 'social-media' })] },
    ceiling: '100000.00',
  },
  {
    code: 'c4-platform-promotion',
    evidence: { items: [item('400000.00', { platform: 'Amazon' })] },
    ceiling: '100000.00',
  },
  {
    code: 'c4-exhibition',
    evidence: {
      exhibitionId: 'EX-1',
      exhibitionName: 'CBEC Expo',
      date: '2024-06-01',
      boothFee: '120000.00',
      standardBoothFee: '15000.00',
    },
    ceiling: '63000.00',
  },
  {
    code: 'c5-overseas-warehouse-provincial',
    evidence: { pilotListRef: 'ZJ-2024-1' },
    ceiling: '200000.00',
  },
  {
    code: 'c5-overseas-warehouse-municipal',
    evidence: { pilotListRef: 'HZ-2024-1' },
    ceiling: '750000.00',
  },
  {
    code: 'c5-consolidation-warehouse',
    evidence: { warehouseId: 'W1', operatingAreaSqm: '3000.01' },
    ceiling: '300000.00',
  },
  {
    code: 'c5-logistics-revenue',
    evidence: { logisticsRevenue: '300000000.00', warehouseId: 'W1', operatingAreaSqm: '3500' },
    ceiling: '1000000.00',
  },
  { code: 'c6-incubation', evidence: { incubationProject: 'Talent 2024' }, ceiling: '10000.00' },
  {
    code: 'c6-university-cooperation',
    evidence: { partnerUniversity: 'Zhejiang University' },
    ceiling: '300000.00',
  },
  {
    code: 'c6-talent-event',
    evidence: { eventId: 'EV-1', eventName: 'CBEC Talent Day', date: '2024-09-01' },
    ceiling: '200000.00',
  },
  { code: 'c8-overseas-network-site', evidence: { siteLocation: 'Dubai' }, ceiling: '200000.00' },
];

function item(amount: string, extra: Record<string, string>): Record<string, string> {
  return { date: '2024-03-01', amount, ...extra };
}

export function evidenceFor(code: string): Record<string, unknown> {
  const found = PROGRAM_CASES.find((entry) => entry.code === code);
  if (!found) throw new Error(`no evidence fixture for ${code}`);
  return found.evidence;
}

/** The people of a scenario: one admin, two reviewers, finance, and an applicant acting for `uscc`. */
export interface Actors {
  readonly anonymous: Client;
  readonly admin: Client;
  readonly reviewer: Client;
  readonly reviewer2: Client;
  readonly finance: Client;
  readonly auditor: Client;
  applicant(uscc: string): Promise<Client>;
}

export async function actorsOf(test: TestServer): Promise<Actors> {
  const anonymous = new Client(test.api);
  const as = async (sub: string, roles: Parameters<TestServer['token']>[1]) =>
    anonymous.as(await test.token(sub, roles));
  return {
    anonymous,
    admin: await as('root-admin', ['admin']),
    reviewer: await as('rita-reviewer', ['reviewer']),
    reviewer2: await as('rob-reviewer', ['reviewer']),
    finance: await as('fay-finance', ['finance']),
    auditor: await as('aud-auditor', ['auditor']),
    applicant: async (uscc) => anonymous.as(await test.token(`user-${uscc}`, ['applicant'], uscc)),
  };
}

/** Registers an applicant and returns its client. */
export async function registered(
  actors: Actors,
  district = 'xihu',
  uscc = newUscc(),
): Promise<{ uscc: string; client: Client }> {
  const reply = await actors.admin.post('/applicants', {
    uscc,
    name: `Company ${uscc.slice(-6)}`,
    district,
  });
  if (reply.status !== 201)
    throw new Error(`register ${uscc}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { uscc, client: await actors.applicant(uscc) };
}

/** c4-brand-promotion evidence: one live-streaming promotion fee (25% of it, 500,000.00 a year). */
export const promotionEvidence = (amount: string, date: string) => ({
  items: [{ date, amount, channel: 'live-streaming' }],
});

export function claimBody(
  uscc: string,
  programCode: string,
  supportYear = 2024,
  requestedAmount = '99999999.00',
  evidence?: Record<string, unknown>,
) {
  return {
    applicant: uscc,
    programCode,
    supportYear,
    requestedAmount,
    evidence: evidence ?? evidenceFor(programCode),
  };
}
