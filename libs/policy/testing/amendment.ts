/**
 * A test amendment of hz-cbec-2023 (docs/policy.md §11): from 2025-07-01 the c1-platform award and its
 * annual cap rise from 1000000.00 to 1500000.00, and one more program is claimable. Not shipped: the
 * amendment e2e spec and the policy tests serve it through a PolicySchedule.
 */
import { fixedProgram, field, schema } from '../src/catalog-builders';
import { defineCatalog } from '../src/catalog-define';
import type { ProgramDefinition } from '../src/catalog-types';
import { HZ_CBEC_2023 } from '../src/catalogs/hz-cbec-2023';
import { policySchedule } from '../src/schedule';

export const AMENDMENT_EFFECTIVE_FROM = '2025-07-01';
export const RAISED_PROGRAM = 'c1-platform';
export const RAISED_AMOUNT = '1500000.00';
export const ADDED_PROGRAM = 'c10-digital-trade-training';

const { hash: _hash, ...content } = HZ_CBEC_2023;

export const HZ_CBEC_2023_AMENDED = defineCatalog({
  ...content,
  id: 'hz-cbec-2023-a1',
  title: `${content.title}（2025年7月修订，测试）`,
  titleEn: `${content.titleEn} (test amendment of July 2025)`,
  programs: [
    ...content.programs.map((program): ProgramDefinition =>
      program.code === RAISED_PROGRAM
        ? fixedProgram(RAISED_AMOUNT, {
            code: program.code,
            clause: program.clause,
            scope: program.scope,
            funding: program.funding,
            titleZh: program.titleZh,
            titleEn: program.titleEn,
            evidence: program.evidence,
          })
        : program,
    ),
    fixedProgram('100000.00', {
      code: ADDED_PROGRAM,
      clause: '修订(一)',
      scope: 'one-time',
      funding: 'city',
      titleZh: '跨境电商数字贸易人才培训',
      titleEn: 'Digital trade training (test amendment)',
      evidence: schema({ courseName: field.text() }),
    }),
  ],
});

/** The original catalog from the start of its window, the amendment from AMENDMENT_EFFECTIVE_FROM. */
export const AMENDED_SCHEDULE = policySchedule([
  { catalog: HZ_CBEC_2023, effectiveFrom: HZ_CBEC_2023.validFrom },
  { catalog: HZ_CBEC_2023_AMENDED, effectiveFrom: AMENDMENT_EFFECTIVE_FROM },
]);
