/**
 * Plain-word sentences for the API's stable error codes (libs/ledger errors.ts, libs/auth token.ts).
 * The code itself is always shown next to the sentence so that support can find it.
 */
export type Lang = 'zh' | 'en';

type Sentence = { readonly zh: string; readonly en: string };

/** Sentences several codes (or a code, its family and its HTTP status) share, written once. */
const NOT_ALLOWED: Sentence = { zh: '您无权执行此操作。', en: 'You are not allowed to do this.' };
const ROLE_NOT_ALLOWED: Sentence = {
  zh: '您的角色无权执行此操作。',
  en: 'Your role is not allowed to do this.',
};
const RATE_LIMITED: Sentence = {
  zh: '请求过于频繁，请稍后再试。',
  en: 'Too many requests; try again shortly.',
};
const UNKNOWN_DISTRICT: Sentence = { zh: '未知的区县。', en: 'Unknown district.' };
const UNKNOWN_PROGRAM: Sentence = { zh: '未知的扶持项目。', en: 'Unknown program.' };

const SENTENCES: Readonly<Record<string, Sentence>> = {
  'AUDIT.JOBS_BUSY': {
    zh: '同时运行的导出或核验任务已达上限，请稍后再试。',
    en: 'As many export or verify jobs as allowed are running; try again shortly.',
  },
  'AUTH.TOKEN_MISSING': {
    zh: '请求未携带令牌，请先登录。',
    en: 'No token was sent; please sign in.',
  },
  'AUTH.TOKEN_INVALID': {
    zh: '令牌无效或签名不正确，请重新登录。',
    en: 'The token is invalid or its signature does not verify; sign in again.',
  },
  'AUTH.TOKEN_EXPIRED': {
    zh: '令牌已过期，请重新登录。',
    en: 'The token has expired; sign in again.',
  },
  'AUTH.CLAIMS_INVALID': {
    zh: '令牌中的身份信息不完整。',
    en: 'The token does not carry usable identity claims.',
  },
  'AUTH.UNAUTHENTICATED': { zh: '需要登录后才能访问。', en: 'You need to sign in.' },
  'AUTH.FORBIDDEN': NOT_ALLOWED,
  'AUTH.ROLE_REQUIRED': ROLE_NOT_ALLOWED,
  'AUTH.NOT_YOUR_APPLICANT': {
    zh: '您只能查看或操作本单位的数据。',
    en: 'You may only see or act on your own organisation.',
  },
  'REQUEST.INVALID': {
    zh: '提交的内容有误，未作任何记录，请检查各字段。',
    en: 'Some fields are not valid; nothing was recorded.',
  },
  'REQUEST.RATE_LIMITED': RATE_LIMITED,
  'PROJECTION.NOT_CAUGHT_UP': {
    zh: '报表尚未更新到您刚才的操作，请稍后重试。',
    en: 'The reports have not caught up with your last change yet; retry in a moment.',
  },
  'ACCESS.ROLE_NOT_ALLOWED': ROLE_NOT_ALLOWED,
  'ACCESS.NOT_OWN_APPLICANT': {
    zh: '您只能查看或操作本单位的申报。',
    en: "You may only see or act on your own organisation's claims.",
  },
  'COMMAND.INVALID': { zh: '提交的内容格式不正确。', en: 'The request is malformed.' },
  'COMMAND.UNKNOWN_TYPE': { zh: '未知的操作类型。', en: 'Unknown kind of command.' },
  'USCC.INVALID': {
    zh: '统一社会信用代码不正确（校验位不符）。',
    en: 'The USCC is not valid (its check digit does not match).',
  },
  'APPLICANT.NOT_FOUND': { zh: '未找到该申报主体。', en: 'No such applicant.' },
  'APPLICANT.NOT_REGISTERED': { zh: '该主体尚未登记。', en: 'The applicant is not registered.' },
  'APPLICANT.ALREADY_REGISTERED': {
    zh: '该主体已经登记过。',
    en: 'The applicant is already registered.',
  },
  'APPLICANT.INTEGRITY_FLAGGED': {
    zh: '该主体有失信标记，在解除前不能申报或获批（第十条）。',
    en: 'The applicant carries an integrity flag and can be neither submitted for nor approved until it is cleared (clause 10).',
  },
  'CLAIM.NOT_FOUND': { zh: '未找到该申报。', en: 'No such claim.' },
  'CLAIM.UNKNOWN_PROGRAM': { zh: '未知的扶持项目。', en: 'Unknown support program.' },
  'CLAIM.PROGRAM_NOT_CLAIMABLE': {
    zh: '该项目不接受申报。',
    en: 'This program cannot be claimed.',
  },
  'CLAIM.SUPPORT_YEAR_OUT_OF_RANGE': {
    zh: '扶持年度须在 2023 至 2026 年之间。',
    en: 'The support year must be between 2023 and 2026.',
  },
  'CLAIM.POLICY_MISMATCH': {
    zh: '申报所依据的政策版本不符。',
    en: 'The claim was filed under another policy version.',
  },
  'CLAIM.OPEN_CLAIM_IN_SCOPE': {
    zh: '同一范围内已有未结的申报。',
    en: 'Another open claim already exists in the same scope.',
  },
  'CLAIM.NOT_SUBMITTED': {
    zh: '该申报已不处于待审核状态，无法再作决定。',
    en: 'The claim is no longer waiting for a decision.',
  },
  'CLAIM.NOT_APPROVED': { zh: '该申报未处于已批准状态。', en: 'The claim is not approved.' },
  'CLAIM.NOT_PENDING_COUNTERSIGN': {
    zh: '该申报不在待会签状态。',
    en: 'The claim is not waiting for a countersignature.',
  },
  'CLAIM.NOT_REVOKED': { zh: '该申报未被撤销。', en: 'The claim has not been revoked.' },
  'PERIOD.CLOSED': {
    zh: '该日期所在的会计期间已结账；请以结账后调整的方式记录。',
    en: 'The period of this date is closed; record it as a post-close adjustment.',
  },
  'PERIOD.ALREADY_CLOSED': { zh: '该期间已结账。', en: 'The period is already closed.' },
  'DECISION.STALE_VIEW': {
    zh: '您查看之后，该申报的可核定上限或分担已变化；请按当前数据重新决定。',
    en: 'The ceiling or split changed after the view you decided from; decide again on the current figures.',
  },
  'CLAIM.EXCEEDS_CEILING': {
    zh: '核定金额超过了当前可核定上限（申请额、规则金额与剩余额度中的最小值）。',
    en: 'The amount is above the ceiling allowed now (the least of the request, the rule amount and the room left under every cap).',
  },
  'CLAIM.AMOUNT_NOT_POSITIVE': {
    zh: '核定金额必须大于零。',
    en: 'The amount must be more than zero.',
  },
  'CLAIM.REASONS_REQUIRED': { zh: '请至少填写一条理由。', en: 'Give at least one reason.' },
  'POLICY.ALREADY_AWARDED': {
    zh: '该一次性扶持已经发放过，不能重复获批。',
    en: 'This one-time support has already been granted and cannot be granted again.',
  },
  'POLICY.NOT_ELIGIBLE': { zh: '按政策规定不符合扶持条件。', en: 'Not eligible under the policy.' },
  'SOD.SELF_COUNTERSIGN': {
    zh: '会签人不能是批准人本人，请由另一位审核员复核。',
    en: 'The approver cannot countersign their own approval; another reviewer must.',
  },
  'SOD.DISBURSER_DECIDED': {
    zh: '批准或会签过该申报的人员不能登记拨付。',
    en: 'Whoever approved or countersigned this claim may not record its payment.',
  },
  'DISBURSEMENT.AMOUNT_NOT_POSITIVE': {
    zh: '拨付金额必须大于零。',
    en: 'The payment must be more than zero.',
  },
  'DISBURSEMENT.EXCEEDS_SHARE': {
    zh: '拨付金额超过了该出资方尚未拨付的份额。',
    en: 'The payment is more than what this funder still owes on the claim.',
  },
  'DISBURSEMENT.DATED_IN_FUTURE': {
    zh: '支付日期不能晚于今天。',
    en: 'The payment date cannot be in the future.',
  },
  'RECOVERY.AMOUNT_NOT_POSITIVE': {
    zh: '收回金额必须大于零。',
    en: 'The recovery must be more than zero.',
  },
  'RECOVERY.EXCEEDS_RECEIVABLE': {
    zh: '收回金额超过了应收回金额。',
    en: 'The recovery is more than the receivable.',
  },
  'RECOVERY.DATED_IN_FUTURE': {
    zh: '收回日期不能晚于今天。',
    en: 'The recovery date cannot be in the future.',
  },
  'REFERENCE.INVALID': { zh: '凭证号格式不正确。', en: 'The reference is not in a valid format.' },
  'REFERENCE.REUSED': {
    zh: '该凭证号已用于另一笔不同的款项。',
    en: 'This reference was already used for a different payment.',
  },
  'IDEMPOTENCY.KEY_REUSED': {
    zh: '同一幂等键已用于不同内容的请求，请重新提交。',
    en: 'This idempotency key was used for a different request; submit again.',
  },
  'POLICY.APPLICATION_AFTER_DEADLINE': {
    zh: '已过申报截止日期。',
    en: 'Applications have closed.',
  },
  'POLICY.AREA_NOT_ABOVE_MINIMUM': {
    zh: '经营面积未超过政策要求的最低面积（第三(五)条）。',
    en: 'The operating area is not above the minimum (clause 3(5)).',
  },
  'POLICY.BASE_ZERO': {
    zh: '没有可计入的费用，计算基数为零。',
    en: 'Nothing counts toward the base.',
  },
  'POLICY.CAP_EXHAUSTED': { zh: '该项额度已用完。', en: 'No room is left under the cap.' },
  'POLICY.DATE_NOT_COUNTED': {
    zh: '申报日期不在政策有效期或扶持年度内，不予计入。',
    en: 'The date is outside the policy window or the support year.',
  },
  'POLICY.DISTRICT_UNKNOWN': UNKNOWN_DISTRICT,
  'POLICY.EVIDENCE_INVALID': { zh: '申报材料格式不正确。', en: 'The evidence is malformed.' },
  'POLICY.GROWTH_BELOW_MINIMUM': {
    zh: '服务收入增幅未达到政策要求（第一(二)条）。',
    en: 'Service revenue did not grow enough (clause 1(2)).',
  },
  'POLICY.NOT_FOUND': { zh: '未找到该政策版本。', en: 'No such policy version.' },
  'POLICY.PRIOR_REVENUE_NOT_POSITIVE': {
    zh: '上年服务收入必须大于零。',
    en: 'The prior-year service revenue must be positive.',
  },
  'POLICY.PROGRAM_NOT_CLAIMABLE': {
    zh: '该项目不接受企业申报。',
    en: 'This program takes no claims.',
  },
  'POLICY.PROGRAM_UNKNOWN': UNKNOWN_PROGRAM,
  'POLICY.REQUESTED_AMOUNT_ZERO': {
    zh: '申请金额必须大于零。',
    en: 'The requested amount must be more than zero.',
  },
  'POLICY.REVENUE_BELOW_MINIMUM': {
    zh: '跨境物流收入未达到政策要求的最低标准（第三(五)条）。',
    en: 'Logistics revenue is below the minimum (clause 3(5)).',
  },
  'POLICY.RULE_AMOUNT_ZERO': {
    zh: '按规则计算的金额为零，无可核定金额。',
    en: 'The rule gives zero; nothing could be approved.',
  },
  'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM': {
    zh: '服务企业数未达到政策要求（第一(二)条）。',
    en: 'Too few enterprises served (clause 1(2)).',
  },
  'POLICY.SERVICE_REVENUE_BELOW_MINIMUM': {
    zh: '服务收入未达到政策要求（第一(二)条）。',
    en: 'Service revenue is below the minimum (clause 1(2)).',
  },
  'POLICY.SUBJECT_KEY_REQUIRED': {
    zh: '该项目须注明申报对象（如展会或仓库编号）。',
    en: 'This program needs a subject (e.g. the exhibition or warehouse id).',
  },
  'POLICY.SUPPORT_YEAR_OUT_OF_RANGE': {
    zh: '扶持年度不在政策范围内。',
    en: 'The support year is outside the policy.',
  },
  'APPLICANT.ALREADY_FLAGGED': {
    zh: '该主体已有失信标记。',
    en: 'The applicant is already flagged.',
  },
  'APPLICANT.NOT_FLAGGED': { zh: '该主体没有失信标记。', en: 'The applicant carries no flag.' },
  'APPLICANT.NAME_REQUIRED': { zh: '请填写主体名称。', en: 'A name is required.' },
  'APPLICANT.REASON_REQUIRED': { zh: '请填写原因。', en: 'A reason is required.' },
  'APPLICANT.SAME_DISTRICT': {
    zh: '迁入区县与当前区县相同。',
    en: 'The applicant is already in that district.',
  },
  'APPLICANT.UNKNOWN_DISTRICT': UNKNOWN_DISTRICT,
  'APPLICANT.RELOCATION_IN_FUTURE': {
    zh: '迁址日期不能晚于今天。',
    en: 'The relocation date cannot be in the future.',
  },
  'SOD.CLAIM_APPLICANT': {
    zh: '申报主体本身不能审核自己的申报。',
    en: 'An applicant cannot decide its own claim.',
  },
  'SOD.CLAIM_SUBMITTER': {
    zh: '提交申报的人员不能审核该申报。',
    en: 'Whoever submitted a claim cannot decide it.',
  },
  'IDEMPOTENCY.KEY_REQUIRED': {
    zh: '请求缺少幂等键，请重新提交。',
    en: 'The request has no idempotency key.',
  },
  'IDEMPOTENCY.KEY_INVALID': {
    zh: '幂等键格式不正确，请重新提交。',
    en: 'The idempotency key is malformed.',
  },
  'ROUTE.METHOD_NOT_ALLOWED': {
    zh: '该接口不支持此操作。',
    en: 'The endpoint does not allow this method.',
  },
  'CONCURRENCY.CONFLICT': {
    zh: '数据刚被他人修改，请刷新后重试。',
    en: 'Someone else changed this at the same moment; reload and try again.',
  },
};

const FAMILIES: ReadonlyArray<readonly [string, Sentence]> = [
  ['POLICY.', { zh: '不符合政策规则。', en: 'A policy rule refuses this.' }],
  [
    'EVIDENCE.',
    { zh: '申报材料不完整或格式不正确。', en: 'The evidence is incomplete or malformed.' },
  ],
  [
    'MONEY.',
    {
      zh: '金额格式不正确：须为不带符号的数字，最多两位小数，例如 1000.00。',
      en: 'The amount is malformed: an unsigned number with at most 2 decimals, e.g. 1000.00.',
    },
  ],
  ['ALLOCATION.', { zh: '分配方案不符合规则。', en: 'The allocation plan is not acceptable.' }],
  ['CLAIM.', { zh: '该申报当前不能执行此操作。', en: 'The claim does not allow this now.' }],
  [
    'APPLICANT.',
    { zh: '申报主体信息不符合要求。', en: 'The applicant record does not allow this.' },
  ],
  ['DISBURSEMENT.', { zh: '拨付信息不符合要求。', en: 'The disbursement is not acceptable.' }],
  ['RECOVERY.', { zh: '收回信息不符合要求。', en: 'The recovery is not acceptable.' }],
  [
    'SOD.',
    {
      zh: '职责分离规则不允许同一人执行此操作。',
      en: 'Separation of duties does not allow the same person to do this.',
    },
  ],
  ['AUTH.', { zh: '身份验证未通过，请重新登录。', en: 'Authentication failed; sign in again.' }],
  ['ACCESS.', NOT_ALLOWED],
  ['QUERY.', { zh: '查询条件不正确，请检查后重试。', en: 'The query is not valid.' }],
  [
    'REQUEST.',
    { zh: '请求格式不正确，未作任何记录。', en: 'The request is malformed; nothing was recorded.' },
  ],
  [
    'BODY.',
    {
      zh: '请求内容格式不正确，未作任何记录。',
      en: 'The request body is malformed; nothing was recorded.',
    },
  ],
  [
    'FIELD.',
    { zh: '有字段填写不正确，未作任何记录。', en: 'A field is not valid; nothing was recorded.' },
  ],
  ['DATE.', { zh: '日期格式不正确，应为 YYYY-MM-DD。', en: 'The date is malformed (YYYY-MM-DD).' }],
  ['DECIMAL.', { zh: '数字格式不正确。', en: 'The number is malformed.' }],
  [
    'IDEMPOTENCY.',
    { zh: '幂等键有误，请重新提交。', en: 'The idempotency key is not acceptable; submit again.' },
  ],
  ['AUDIT.', { zh: '审计查询条件不正确。', en: 'The audit query is not valid.' }],
  ['PROGRAM.', UNKNOWN_PROGRAM],
  ['DISTRICT.', UNKNOWN_DISTRICT],
  ['ROUTE.', { zh: '服务端没有这个接口。', en: 'The server has no such endpoint.' }],
];

const BY_STATUS: Readonly<Record<number, Sentence>> = {
  400: {
    zh: '请求内容不正确，未作任何记录。',
    en: 'The request is malformed; nothing was recorded.',
  },
  401: { zh: '需要重新登录。', en: 'Please sign in again.' },
  403: NOT_ALLOWED,
  404: { zh: '未找到。', en: 'Not found.' },
  409: { zh: '与已有记录冲突。', en: 'This conflicts with what is already recorded.' },
  422: { zh: '政策规则不允许此操作。', en: 'A policy rule refuses this.' },
  429: RATE_LIMITED,
  503: {
    zh: '服务暂时不可用，请稍后重试。',
    en: 'The service is briefly unavailable; retry in a moment.',
  },
};

/** The sentence for a code, falling back to its family, then to its HTTP status. */
export function sentenceFor(code: string, status: number, lang: Lang): string | null {
  const exact = SENTENCES[code];
  if (exact) return exact[lang];
  const family = FAMILIES.find(([prefix]) => code.startsWith(prefix));
  if (family) return family[1][lang];
  const byStatus = BY_STATUS[status];
  return byStatus ? byStatus[lang] : null;
}
