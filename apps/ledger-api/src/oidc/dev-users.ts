/**
 * The embedded provider's seeded development users: one or more per role, named like the demo's actors
 * (`npm run ledger -- demo`), the applicants being the demo's first two (seed 7). Two reviewers, so a
 * large approval can be countersigned by the other one.
 */
import type { Role } from '@hz/auth';

export interface DevUser {
  readonly sub: string;
  /** zh-CN display name. */
  readonly name: string;
  readonly roles: readonly Role[];
  readonly applicant?: string;
}

/** Every seeded user signs in with it; the provider is refused in production (settings.ts). */
export const DEV_PASSWORD = 'ledger-dev';

/** The demo's applicants #0 and #1 with its default seed 7 (apps/ledger-cli/src/demo/demo-model.ts demoUscc). */
export const DEMO_APPLICANT_USCC = '91330100007UFM92K6';
export const DEMO_OTHER_APPLICANT_USCC = '91330100007UFM92L9';

export const DEV_USERS: readonly DevUser[] = [
  { sub: 'reviewer-01', name: '审核员一', roles: ['reviewer'] },
  { sub: 'reviewer-02', name: '审核员二', roles: ['reviewer'] },
  { sub: 'finance-01', name: '财务一', roles: ['finance'] },
  { sub: 'auditor-01', name: '审计一', roles: ['auditor'] },
  { sub: 'admin-01', name: '管理员', roles: ['admin'] },
  { sub: 'adjuster-01', name: '期后调整员', roles: ['adjuster'] },
  { sub: 'applicant-01', name: '申报企业一', roles: ['applicant'], applicant: DEMO_APPLICANT_USCC },
  {
    sub: 'applicant-02',
    name: '申报企业二',
    roles: ['applicant'],
    applicant: DEMO_OTHER_APPLICANT_USCC,
  },
];

export function findDevUser(sub: string): DevUser | undefined {
  return DEV_USERS.find((user) => user.sub === sub);
}
