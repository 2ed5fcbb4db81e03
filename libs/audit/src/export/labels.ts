/**
 * The Chinese names a finance officer reads beside the ledger's codes: funders (the city or a 区县) and
 * programs (title and 条款) from the policy catalogs in libs/policy; claim statuses and decisions.
 */
import { findDistrict, findProgram, listCatalogs } from '@hz/policy';

export const CITY_FUNDER_NAME = '市本级';

/** '市本级' for the city, the district's Chinese name from the catalog, else the code itself. */
export function funderName(code: string | null): string | null {
  if (code === null) return null;
  if (code === 'city') return CITY_FUNDER_NAME;
  for (const catalog of listCatalogs()) {
    const district = findDistrict(catalog, code);
    if (district) return district.nameZh;
  }
  return code;
}

export interface ProgramLabel {
  readonly title: string;
  readonly clause: string;
}

/** The program's Chinese title and clause (条款) from the newest catalog that knows the code. */
export function programLabel(code: string): ProgramLabel {
  for (const catalog of listCatalogs().reverse()) {
    const program = findProgram(catalog, code);
    if (program) return { title: program.titleZh, clause: program.clause };
  }
  return { title: code, clause: '' };
}

const STATUS_ZH: Readonly<Record<string, string>> = {
  submitted: '已申报待审',
  withdrawn: '已撤回',
  rejected: '未通过',
  pending_countersign: '待复核会签',
  approved: '已核准',
  revoked: '已撤销',
};

export function statusName(status: string): string {
  return STATUS_ZH[status] ?? status;
}

const DECISION_ZH: Readonly<Record<string, string>> = {
  approved: '核准',
  'approved-pending-countersign': '核准（待会签）',
  rejected: '不予核准',
  countersigned: '会签通过',
  'countersign-rejected': '会签否决',
  revoked: '撤销',
};

export function decisionName(decision: string): string {
  return DECISION_ZH[decision] ?? decision;
}
