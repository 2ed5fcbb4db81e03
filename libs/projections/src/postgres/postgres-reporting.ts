/**
 * The `reporting` schema: stable, typed, commented views for BI tools over the read models of the
 * active generation (docs/reporting.md). The generation tables (`read_models.g<N>_*`) change name at
 * every rebuild and keep money as text and times as text or epoch milliseconds; these views do not:
 * money is numeric(18,2), times timestamptz, fiscal months date (the first of the month).
 *
 * The views are re-pointed (CREATE OR REPLACE VIEW, same names, columns and grants) inside the
 * transaction that activates a generation (PostgresReadStore.activate), so a reader sees the old
 * generation or the new one, never a missing view. The read-only group role `ledger_reporting` gets
 * USAGE on this schema and SELECT on its views only; views run with their owner's rights, so it needs
 * (and has) nothing on `read_models`, `event_store` or `idempotency`.
 */
import type { ClientBase } from 'pg';
import { listCatalogs } from '@hz/policy';
import { metaTableName, tableNames, type TableNames } from '../sql/generation-sql';
import { assertSchemaName } from './schema-name';

export const REPORTING_DEFAULT_SCHEMA = 'reporting';
export const REPORTING_ROLE = 'ledger_reporting';
/** Funder code of the municipal budget in fiscal rows (every other funder is a district code). */
const CITY_FUNDER = 'city';
const CITY_NAME_ZH = '杭州市本级';
const CITY_NAME_EN = 'Hangzhou municipal budget';

/** One column of a reporting view: its SQL expression and its Chinese and English meaning. */
export interface ReportingColumn {
  readonly name: string;
  readonly expr: string;
  readonly zh: string;
  readonly en: string;
}

export interface ReportingView {
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly columns: readonly ReportingColumn[];
  /** FROM … WHERE … (everything after the select list). */
  readonly from: string;
}

const money = (expr: string): string => `(${expr})::numeric(18,2)`;
const epochMs = (expr: string): string =>
  `(timestamptz 'epoch' + ${expr} * interval '1 millisecond')`;
const col = (name: string, expr: string, zh: string, en: string): ReportingColumn => ({
  name,
  expr,
  zh,
  en,
});

const ZERO = '0::numeric(18,2)';

/**
 * The views of one generation, in creation order (later views read earlier ones). `r` is the quoted
 * reporting schema, `t` the generation's tables.
 */
export function reportingViews(
  r: string,
  t: TableNames,
  meta: string,
  generation: number,
): ReportingView[] {
  const districtName = (code: string, lang: 'zh' | 'en'): string =>
    `(SELECT name_${lang} FROM ${r}.districts d WHERE d.code = ${code})`;
  const funderName = (lang: 'zh' | 'en'): string =>
    `CASE WHEN v.funder = '${CITY_FUNDER}' THEN '${lang === 'zh' ? CITY_NAME_ZH : CITY_NAME_EN}' ELSE ${districtName('v.funder', lang)} END`;
  const fiscalFlows = (prefix: string): ReportingColumn[] => [
    col(
      'committed',
      money(`${prefix}committed`),
      '当月新增承诺（已批准应付）金额',
      'amount committed (approved, payable) in the month',
    ),
    col('disbursed', money(`${prefix}disbursed`), '当月拨付金额', 'amount disbursed in the month'),
    col(
      'cancelled',
      money(`${prefix}cancelled`),
      '当月撤销（未拨付部分取消）金额',
      'unpaid commitments cancelled in the month (revocations)',
    ),
    col(
      'receivable',
      money(`${prefix}receivable`),
      '当月新增应收（撤销后应追回）金额',
      'new receivables in the month (paid amounts to recover after revocation)',
    ),
    col('recovered', money(`${prefix}recovered`), '当月追回金额', 'amount recovered in the month'),
  ];
  // Disbursements and recoveries of claims are events of the claim's audit trail; data_json is their data.
  const auditMoneyEvent = (type: string): string =>
    `FROM ${t.audit} a CROSS JOIN LATERAL (SELECT a.data_json::jsonb AS d) j LEFT JOIN ${t.claims} c ON c.claim_id = a.claim_id WHERE a.type = '${type}'`;
  return [
    {
      name: 'status',
      zh: '报表数据的新鲜度：投影已处理到的账本位置与账本时间',
      en: 'freshness of the reporting data: the ledger position and ledger time the projection has reached',
      columns: [
        col(
          'ledger_position',
          'm.position',
          '已投影的最后一个事件在总账中的位置',
          'log position of the last event projected',
        ),
        col(
          'ledger_time',
          epochMs('m.watermark_ms'),
          '已投影事件的账本时间（记录时间水位）',
          'ledger time (recorded-at watermark) of the events projected',
        ),
      ],
      from: `FROM ${meta} m WHERE m.generation = ${generation}`,
    },
    {
      name: 'applicants',
      zh: '申报主体（企业）及其当前所在区县',
      en: 'applicants (enterprises) and the district they are in now',
      columns: [
        col('uscc', 'a.uscc', '统一社会信用代码', 'unified social credit code'),
        col('name', 'a.name', '企业名称', 'enterprise name'),
        col(
          'district',
          'a.district',
          '当前所在区县代码（迁移后为迁入区县）',
          'current district code (after relocations)',
        ),
        col(
          'district_name_zh',
          'd.name_zh',
          '当前所在区县中文名',
          'current district, Chinese name',
        ),
        col(
          'district_name_en',
          'd.name_en',
          '当前所在区县英文名',
          'current district, English name',
        ),
        col(
          'district_group',
          'd.district_group',
          '区县分档（A/B，第十一条）',
          'district group (A or B, clause 11)',
        ),
        col(
          'last_position',
          'a.position',
          '最后改变该行的事件位置',
          'log position of the event that last changed this row',
        ),
      ],
      from: `FROM ${t.applicants} a LEFT JOIN ${r}.districts d ON d.code = a.district`,
    },
    {
      name: 'claims',
      zh: '申报（兑付申请）的当前状态与各出资方金额',
      en: 'claims: where each stands now and what each funder owes, paid, cancelled and recovers',
      columns: [
        col('claim_id', 'c.claim_id', '申报编号', 'claim id'),
        col('applicant', 'c.applicant', '申报主体统一社会信用代码', 'applicant USCC'),
        col('applicant_name', 'a.name', '申报主体名称', 'applicant name'),
        col(
          'applicant_district',
          'a.district',
          '申报主体当前所在区县代码',
          'applicant current district code',
        ),
        col('program_code', 'c.program_code', '政策项目代码', 'policy program code'),
        col('program_title_zh', 'p.title_zh', '政策项目中文名称', 'policy program, Chinese title'),
        col('program_title_en', 'p.title_en', '政策项目英文名称', 'policy program, English title'),
        col('clause', 'p.clause', '政策条款', 'policy clause'),
        col('support_year', 'c.support_year', '支持年度', 'support year'),
        col(
          'subject_key',
          'c.subject_key',
          '按项目（展会、仓库、活动）申报时的对象标识',
          'subject of a per-subject program (exhibition, warehouse, event)',
        ),
        col(
          'status',
          'c.status',
          '状态：submitted/withdrawn/rejected/pending_countersign/approved/revoked',
          'status: submitted, withdrawn, rejected, pending_countersign, approved, revoked',
        ),
        col(
          'requested_amount',
          money('c.requested_amount'),
          '申请金额（元）',
          'amount requested (CNY)',
        ),
        col(
          'approved_amount',
          money('c.approved_amount'),
          '（最近一次）批准金额（元），未批准为空',
          'amount of the (last) approval decision (CNY); null if never approved',
        ),
        col(
          'countersign_required',
          'c.countersign_required = 1',
          '是否需要复核（会签）',
          'whether a second reviewer must countersign',
        ),
        col(
          'funding',
          'c.split_funding',
          '资金来源：split 市区分担 / city 市级全额',
          'funding: split between city and district, or city only',
        ),
        col(
          'split_district',
          'c.split_district',
          '批准时的分担区县代码（之后迁移不改变）',
          'district sharing the cost, fixed at approval',
        ),
        col(
          'split_district_name_zh',
          districtName('c.split_district', 'zh'),
          '分担区县中文名',
          'cost-sharing district, Chinese name',
        ),
        col(
          'split_district_name_en',
          districtName('c.split_district', 'en'),
          '分担区县英文名',
          'cost-sharing district, English name',
        ),
        col(
          'district_group',
          'c.split_group',
          '分担区县分档（A/B）',
          'group of the cost-sharing district (A or B)',
        ),
        col('city_rate', '(c.split_city_rate)::numeric', '市级分担比例', 'city share rate'),
        col(
          'city_share',
          money('c.split_city_share'),
          '市级应承担金额（元）',
          'city share of the approved amount (CNY)',
        ),
        col(
          'district_share',
          money('c.split_district_share'),
          '区县应承担金额（元）',
          'district share of the approved amount (CNY)',
        ),
        col('paid_city', money('c.paid_city'), '市级已拨付（元）', 'paid by the city (CNY)'),
        col(
          'paid_district',
          money('c.paid_district'),
          '区县已拨付（元）',
          'paid by the district (CNY)',
        ),
        col(
          'unpaid_city',
          `CASE WHEN c.status = 'approved' THEN ${money('c.split_city_share::numeric - c.paid_city::numeric')} ELSE ${ZERO} END`,
          '市级已批未拨（元）',
          'city share approved but not yet paid (CNY)',
        ),
        col(
          'unpaid_district',
          `CASE WHEN c.status = 'approved' THEN ${money('c.split_district_share::numeric - c.paid_district::numeric')} ELSE ${ZERO} END`,
          '区县已批未拨（元）',
          'district share approved but not yet paid (CNY)',
        ),
        col(
          'cancelled_city',
          money('c.cancelled_city'),
          '撤销时取消的市级未拨付金额（元）',
          'city share cancelled unpaid at revocation (CNY)',
        ),
        col(
          'cancelled_district',
          money('c.cancelled_district'),
          '撤销时取消的区县未拨付金额（元）',
          'district share cancelled unpaid at revocation (CNY)',
        ),
        col(
          'receivable_city',
          money('c.receivable_city'),
          '市级应收（撤销后应追回）（元）',
          'receivable to the city after revocation (CNY)',
        ),
        col(
          'receivable_district',
          money('c.receivable_district'),
          '区县应收（撤销后应追回）（元）',
          'receivable to the district after revocation (CNY)',
        ),
        col(
          'recovered_city',
          money('c.recovered_city'),
          '市级已追回（元）',
          'recovered by the city (CNY)',
        ),
        col(
          'recovered_district',
          money('c.recovered_district'),
          '区县已追回（元）',
          'recovered by the district (CNY)',
        ),
        col(
          'approved_at',
          `CASE WHEN c.status IN ('approved', 'revoked') THEN (SELECT max(e.recorded_at::timestamptz) FROM ${t.audit} e WHERE e.claim_id = c.claim_id AND e.type IN ('ClaimApproved', 'ApprovalCountersigned')) END`,
          '批准生效的账本时间（需会签的为会签时间）',
          'ledger time the approval took effect (the countersignature when one was required)',
        ),
        col(
          'submitted_at',
          'c.submitted_at::timestamptz',
          '提交的账本时间',
          'ledger time of submission',
        ),
        col(
          'last_recorded_at',
          'c.last_recorded_at::timestamptz',
          '最后一次变化的账本时间',
          'ledger time of the last change',
        ),
        col(
          'last_event_type',
          'c.last_event_type',
          '最后一次变化的事件类型',
          'type of the event of the last change',
        ),
        col(
          'submitted_position',
          'c.submitted_position',
          '提交事件在总账中的位置（队列顺序）',
          'log position of the submission (queue order)',
        ),
        col(
          'last_position',
          'c.last_position',
          '最后一次变化的事件位置',
          'log position of the last change',
        ),
      ],
      from: `FROM ${t.claims} c LEFT JOIN ${t.applicants} a ON a.uscc = c.applicant LEFT JOIN ${r}.programs p ON p.code = c.program_code`,
    },
    {
      name: 'claim_history',
      zh: '申报的全部历史：每个事件之后的状态与累计金额，含生效起止账本时间，可按任意时点查询',
      en: 'the history of every claim: status and running amounts after each of its events, with the ledger times valid from and to (as-of queries)',
      columns: [
        col('claim_id', 'e.claim_id', '申报编号', 'claim id'),
        col('applicant', 'c.applicant', '申报主体统一社会信用代码', 'applicant USCC'),
        col('program_code', 'c.program_code', '政策项目代码', 'policy program code'),
        col('support_year', 'c.support_year', '支持年度', 'support year'),
        col('event_type', 'e.type', '事件类型', 'event type'),
        col('status', claimStatusAfter('e', 'j'), '该事件之后的状态', 'status after the event'),
        ...(['city', 'district'] as const).flatMap((funder) => [
          col(
            `paid_${funder}`,
            claimRunning('DisbursementRecorded', funder),
            `截至该事件${funder === 'city' ? '市级' : '区县'}已拨付（元）`,
            `paid by the ${funder} up to this event (CNY)`,
          ),
          col(
            `cancelled_${funder}`,
            claimRevoked('cancelled', funder),
            `截至该事件撤销取消的${funder === 'city' ? '市级' : '区县'}未拨付金额（元）`,
            `${funder} share cancelled unpaid by a revocation up to this event (CNY)`,
          ),
          col(
            `receivable_${funder}`,
            claimRevoked('receivable', funder),
            `截至该事件${funder === 'city' ? '市级' : '区县'}应收（元）`,
            `receivable to the ${funder} up to this event (CNY)`,
          ),
          col(
            `recovered_${funder}`,
            claimRunning('RecoveryRecorded', funder),
            `截至该事件${funder === 'city' ? '市级' : '区县'}已追回（元）`,
            `recovered by the ${funder} up to this event (CNY)`,
          ),
        ]),
        col('actor', 'e.actor', '经办人', 'who caused the event'),
        col('position', 'e.position', '事件在总账中的位置', 'log position of the event'),
        col(
          'valid_from',
          'e.recorded_at::timestamptz',
          '该状态生效的账本时间',
          'ledger time this state became valid',
        ),
        col(
          'valid_to',
          'lead(e.recorded_at::timestamptz) OVER (PARTITION BY e.claim_id ORDER BY e.position)',
          '被下一事件取代的账本时间，当前状态为空',
          'ledger time the next event replaced it; null for the current state',
        ),
      ],
      from: `FROM ${t.audit} e CROSS JOIN LATERAL (SELECT e.data_json::jsonb AS d) j LEFT JOIN ${t.claims} c ON c.claim_id = e.claim_id`,
    },
    {
      name: 'cap_history',
      zh: '额度（上限）的全部历史版本，含生效起止账本时间，可按任意时点查询',
      en: 'every version of every cap with the ledger times it was valid from and to (as-of queries)',
      columns: capColumns('v', true),
      from: `FROM ${t.capVersions} v LEFT JOIN ${t.applicants} a ON a.uscc = v.applicant`,
    },
    {
      name: 'caps',
      zh: '额度（上限）当前状态：上限、已占用、剩余、已拨付',
      en: 'caps as they stand now: cap, granted, remaining, paid',
      columns: capColumns('h', false),
      from: `FROM ${r}.cap_history h WHERE h.valid_to IS NULL`,
    },
    {
      name: 'one_time_awards',
      zh: '一次性奖励（每个主体每个项目至多一项有效）',
      en: 'one-time awards (at most one in effect per applicant and program)',
      columns: [
        col('applicant', 'w.applicant', '申报主体统一社会信用代码', 'applicant USCC'),
        col('applicant_name', 'a.name', '申报主体名称', 'applicant name'),
        col('program_code', 'w.program_code', '政策项目代码', 'policy program code'),
        col('program_title_zh', 'p.title_zh', '政策项目中文名称', 'policy program, Chinese title'),
        col('program_title_en', 'p.title_en', '政策项目英文名称', 'policy program, English title'),
        col('claim_id', 'w.claim_id', '申报编号', 'claim id'),
        col('amount', money('w.amount'), '奖励金额（元）', 'award amount (CNY)'),
        col('status', 'w.status', '所属申报的状态', 'status of the claim'),
        col(
          'last_position',
          'w.position',
          '最后改变该行的事件位置',
          'log position of the event that last changed this row',
        ),
      ],
      from: `FROM ${t.awards} w LEFT JOIN ${t.applicants} a ON a.uscc = w.applicant LEFT JOIN ${r}.programs p ON p.code = w.program_code`,
    },
    {
      name: 'fiscal_history',
      zh: '财政资金流（出资方×月份×条款）的全部历史版本，含生效起止账本时间',
      en: 'every version of the fiscal flows per funder, month and clause, with the ledger times it was valid from and to',
      columns: [
        col(
          'funder',
          'v.funder',
          `出资方：${CITY_FUNDER} 为市本级，其余为区县代码`,
          `funder: ${CITY_FUNDER} for the municipal budget, else a district code`,
        ),
        col('funder_name_zh', funderName('zh'), '出资方中文名', 'funder, Chinese name'),
        col('funder_name_en', funderName('en'), '出资方英文名', 'funder, English name'),
        col(
          'month',
          "to_date(v.month, 'YYYY-MM')",
          '财政月份（业务时间，杭州时区；取当月1日）',
          'fiscal month (business time, Hangzhou), as its first day',
        ),
        col(
          'clause',
          'v.clause',
          '政策条款（如 一(一)、五(九)）',
          'policy clause, in the Chinese numbering of the policy (e.g. clause 1 item 1)',
        ),
        ...fiscalFlows('v.'),
        col(
          'position',
          'v.position',
          '产生该版本的事件位置',
          'log position of the event that produced this version',
        ),
        col(
          'valid_from',
          epochMs('v.recorded_at_ms'),
          '该版本生效的账本时间',
          'ledger time this version became valid',
        ),
        col(
          'valid_to',
          epochMs(
            'lead(v.recorded_at_ms) OVER (PARTITION BY v.funder, v.month, v.clause ORDER BY v.recorded_at_ms, v.position)',
          ),
          '被下一版本取代的账本时间，当前版本为空',
          'ledger time the next version replaced it; null for the current version',
        ),
      ],
      from: `FROM ${t.fiscalVersions} v`,
    },
    {
      name: 'fiscal_obligations',
      zh: '财政应付与拨付（出资方×月份×条款）当前数，含期末未拨付与应收余额',
      en: 'fiscal obligations per funder, month and clause as they stand now, with closing outstanding and receivable balances',
      columns: fiscalObligationColumns('h'),
      from: `FROM ${r}.fiscal_history h WHERE h.valid_to IS NULL`,
    },
    {
      name: 'disbursements',
      zh: '每笔拨付（申报项下，市级或区县）',
      en: 'each disbursement of a claim (city or district)',
      columns: [
        col(
          'position',
          'a.position',
          '拨付事件在总账中的位置',
          'log position of the disbursement event',
        ),
        col('claim_id', 'a.claim_id', '申报编号', 'claim id'),
        col('applicant', 'c.applicant', '申报主体统一社会信用代码', 'applicant USCC'),
        col('program_code', 'c.program_code', '政策项目代码', 'policy program code'),
        col(
          'funder',
          "j.d->>'funder'",
          '出资方：city 市级 / district 区县',
          'funder: city or district',
        ),
        col(
          'district',
          "j.d->>'district'",
          '区县出资时的区县代码（批准时确定）',
          'paying district code (fixed at approval)',
        ),
        col('amount', money("j.d->>'amount'"), '拨付金额（元）', 'amount paid (CNY)'),
        col(
          'payment_ref',
          "j.d->>'paymentRef'",
          '支付凭证号（全局唯一）',
          'payment reference (unique)',
        ),
        col(
          'paid_on',
          "(j.d->>'paidAt')::date",
          '支付日期（业务日期）',
          'payment date (business date)',
        ),
        col('recorded_at', 'a.recorded_at::timestamptz', '记账的账本时间', 'ledger time recorded'),
        col('actor', 'a.actor', '经办人', 'finance officer who recorded it'),
      ],
      from: auditMoneyEvent('DisbursementRecorded'),
    },
    {
      name: 'recoveries',
      zh: '每笔追回（撤销后收回已拨付资金）',
      en: 'each recovery of paid money after a revocation',
      columns: [
        col(
          'position',
          'a.position',
          '追回事件在总账中的位置',
          'log position of the recovery event',
        ),
        col('claim_id', 'a.claim_id', '申报编号', 'claim id'),
        col('applicant', 'c.applicant', '申报主体统一社会信用代码', 'applicant USCC'),
        col('program_code', 'c.program_code', '政策项目代码', 'policy program code'),
        col(
          'funder',
          "j.d->>'funder'",
          '收回方：city 市级 / district 区县',
          'funder the money goes back to: city or district',
        ),
        col(
          'district',
          "j.d->>'district'",
          '区县代码（批准时确定）',
          'district code (fixed at approval)',
        ),
        col('amount', money("j.d->>'amount'"), '追回金额（元）', 'amount recovered (CNY)'),
        col(
          'recovery_ref',
          "j.d->>'recoveryRef'",
          '追回凭证号（全局唯一）',
          'recovery reference (unique)',
        ),
        col(
          'recovered_on',
          "(j.d->>'recoveredAt')::date",
          '追回日期（业务日期）',
          'recovery date (business date)',
        ),
        col('recorded_at', 'a.recorded_at::timestamptz', '记账的账本时间', 'ledger time recorded'),
        col('actor', 'a.actor', '经办人', 'finance officer who recorded it'),
      ],
      from: auditMoneyEvent('RecoveryRecorded'),
    },
  ];
}

/**
 * The claim's status after event `e` (data `j.d`), as the claim-summary model evolves it
 * (libs/projections/src/model/claim-summary.ts): a payment only follows an approval, a recovery a revocation.
 */
function claimStatusAfter(e: string, j: string): string {
  return `CASE ${e}.type WHEN 'ClaimSubmitted' THEN 'submitted' WHEN 'ClaimWithdrawn' THEN 'withdrawn' WHEN 'ClaimRejected' THEN 'rejected'
    WHEN 'ClaimApproved' THEN CASE WHEN (${j}.d->>'countersignRequired')::boolean THEN 'pending_countersign' ELSE 'approved' END
    WHEN 'ApprovalCountersigned' THEN 'approved' WHEN 'ApprovalCountersignRejected' THEN 'rejected'
    WHEN 'DisbursementRecorded' THEN 'approved' WHEN 'ClaimRevoked' THEN 'revoked' WHEN 'RecoveryRecorded' THEN 'revoked' END`;
}

/** Σ amount of the claim's `type` events for `funder` up to and including this one. */
function claimRunning(type: string, funder: 'city' | 'district'): string {
  return money(
    `sum(CASE WHEN e.type = '${type}' AND j.d->>'funder' = '${funder}' THEN (j.d->>'amount')::numeric ELSE 0 END) OVER (PARTITION BY e.claim_id ORDER BY e.position)`,
  );
}

/** The revocation's `field` amount for `funder` once the claim is revoked, else zero. */
function claimRevoked(field: 'cancelled' | 'receivable', funder: 'city' | 'district'): string {
  return money(
    `coalesce(max(CASE WHEN e.type = 'ClaimRevoked' THEN (j.d->'${field}'->>'${funder}')::numeric END) OVER (PARTITION BY e.claim_id ORDER BY e.position), 0)`,
  );
}

function capColumns(v: string, base: boolean): ReportingColumn[] {
  const from = (column: string, expr: string): string => (base ? expr : `${v}.${column}`);
  return [
    col(
      'applicant',
      from('applicant', `${v}.applicant`),
      '申报主体统一社会信用代码',
      'applicant USCC',
    ),
    col('applicant_name', from('applicant_name', 'a.name'), '申报主体名称', 'applicant name'),
    col(
      'cap_id',
      from('cap_id', `${v}.cap_id`),
      '额度标识（项目、范围与年度或对象）',
      'cap id (program, scope and year or subject)',
    ),
    col(
      'kind',
      from('kind', `${v}.kind`),
      '额度类型：annual 年度 / one-time 一次性 / subject 按对象 / applicant-total 主体合计',
      'cap kind: annual, one-time, subject, applicant-total',
    ),
    col(
      'program_code',
      from('program_code', `${v}.program_code`),
      '政策项目代码',
      'policy program code',
    ),
    col(
      'support_year',
      from('support_year', `${v}.support_year`),
      '支持年度（仅年度额度）',
      'support year (annual caps only)',
    ),
    col(
      'subject_key',
      from('subject_key', `${v}.subject_key`),
      '对象标识（仅按对象额度）',
      'subject (per-subject caps only)',
    ),
    col(
      'cap',
      from('cap', money(`${v}.cap`)),
      '上限金额（元），无金额上限为空',
      'cap amount (CNY); null when the scope has no amount cap',
    ),
    col(
      'granted',
      from('granted', money(`${v}.granted`)),
      '已占用：已批准及待会签预留，扣除已撤销（元）',
      'granted: approved and reserved (awaiting countersignature), minus revoked (CNY)',
    ),
    col(
      'remaining',
      from(
        'remaining',
        money(
          `CASE WHEN ${v}.cap IS NULL THEN NULL ELSE ${v}.cap::numeric - ${v}.granted::numeric END`,
        ),
      ),
      '剩余额度 = 上限 − 已占用（元）',
      'remaining = cap − granted (CNY)',
    ),
    col(
      'paid',
      from('paid', money(`${v}.paid`)),
      '该额度项下已拨付净额（扣除追回）（元）',
      'paid under this cap net of recoveries (CNY)',
    ),
    col(
      'position',
      from('position', `${v}.position`),
      '产生该版本的事件位置',
      'log position of the event that produced this version',
    ),
    col(
      'valid_from',
      from('valid_from', epochMs(`${v}.recorded_at_ms`)),
      '该版本生效的账本时间',
      'ledger time this version became valid',
    ),
    col(
      'valid_to',
      from(
        'valid_to',
        epochMs(
          `lead(${v}.recorded_at_ms) OVER (PARTITION BY ${v}.applicant, ${v}.cap_id ORDER BY ${v}.position)`,
        ),
      ),
      '被下一版本取代的账本时间，当前版本为空',
      'ledger time the next version replaced it; null for the current version',
    ),
  ];
}

/** The columns of fiscal_obligations (and of fiscal_obligations_as_of) over rows `h` of fiscal_history. */
function fiscalObligationColumns(h: string): ReportingColumn[] {
  const running = (expr: string): string =>
    money(`sum(${expr}) OVER (PARTITION BY ${h}.funder, ${h}.clause ORDER BY ${h}.month)`);
  return [
    col(
      'funder',
      `${h}.funder`,
      `出资方：${CITY_FUNDER} 为市本级，其余为区县代码`,
      `funder: ${CITY_FUNDER} for the municipal budget, else a district code`,
    ),
    col('funder_name_zh', `${h}.funder_name_zh`, '出资方中文名', 'funder, Chinese name'),
    col('funder_name_en', `${h}.funder_name_en`, '出资方英文名', 'funder, English name'),
    col(
      'month',
      `${h}.month`,
      '财政月份（业务时间，杭州时区；取当月1日）',
      'fiscal month (business time, Hangzhou), as its first day',
    ),
    col(
      'clause',
      `${h}.clause`,
      '政策条款（如 一(一)、五(九)）',
      'policy clause, in the Chinese numbering of the policy (e.g. clause 1 item 1)',
    ),
    col(
      'committed',
      `${h}.committed`,
      '当月新增承诺（已批准应付）金额',
      'amount committed (approved, payable) in the month',
    ),
    col('disbursed', `${h}.disbursed`, '当月拨付金额', 'amount disbursed in the month'),
    col(
      'cancelled',
      `${h}.cancelled`,
      '当月撤销（未拨付部分取消）金额',
      'unpaid commitments cancelled in the month (revocations)',
    ),
    col(
      'outstanding',
      running(`${h}.committed - ${h}.disbursed - ${h}.cancelled`),
      '期末未拨付余额：本出资方本条款截至当月 Σ(承诺 − 拨付 − 取消)',
      'closing outstanding balance: Σ(committed − disbursed − cancelled) of this funder and clause through the month',
    ),
    col(
      'receivable',
      `${h}.receivable`,
      '当月新增应收（撤销后应追回）金额',
      'new receivables in the month (paid amounts to recover after revocation)',
    ),
    col('recovered', `${h}.recovered`, '当月追回金额', 'amount recovered in the month'),
    col(
      'receivable_outstanding',
      running(`${h}.receivable - ${h}.recovered`),
      '期末应收余额：截至当月 Σ(应收 − 追回)',
      'closing receivable balance: Σ(receivable − recovered) of this funder and clause through the month',
    ),
    col(
      'position',
      `${h}.position`,
      '产生该数的事件位置',
      'log position of the event that produced these figures',
    ),
    col(
      'valid_from',
      `${h}.valid_from`,
      '该数生效的账本时间',
      'ledger time these figures became valid',
    ),
  ];
}

function selectSql(view: ReportingView): string {
  return `SELECT ${view.columns.map((column) => `${column.expr} AS ${column.name}`).join(',\n  ')}\n${view.from}`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function bilingual(zh: string, en: string): string {
  return literal(`${zh} | ${en}`);
}

const DISTRICT_COLUMNS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['code', 'text PRIMARY KEY', '区县代码', 'district code'],
  ['name_zh', 'text NOT NULL', '区县中文名', 'district, Chinese name'],
  ['name_en', 'text NOT NULL', '区县英文名', 'district, English name'],
  ['district_group', 'text NOT NULL', '分档（A/B，第十一条）', 'group (A or B, clause 11)'],
  ['city_rate', 'numeric NOT NULL', '市级分担比例', 'city share rate for split-funded programs'],
];
const PROGRAM_COLUMNS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['code', 'text PRIMARY KEY', '政策项目代码', 'policy program code'],
  ['clause', 'text NOT NULL', '政策条款', 'policy clause'],
  ['title_zh', 'text NOT NULL', '项目中文名称', 'program, Chinese title'],
  ['title_en', 'text NOT NULL', '项目英文名称', 'program, English title'],
  [
    'scope',
    'text NOT NULL',
    '范围：annual/one-time/per-subject/not-claimable/allocation',
    'scope: annual, one-time, per-subject, not-claimable, allocation',
  ],
  [
    'funding',
    'text NOT NULL',
    '资金来源：split 市区分担 / city 市级全额',
    'funding: split between city and district, or city only',
  ],
  ['catalog_id', 'text NOT NULL', '所属政策目录', 'policy catalog the row comes from'],
];

/**
 * At open, under the caller's advisory lock: the schema, the catalog lookups (refreshed from the policy
 * catalogs this build knows, a later catalog overriding an earlier one's names), the group role when
 * the database user may create roles, and the grants.
 */
export async function ensureReportingBase(
  client: ClientBase,
  reportingSchema: string,
): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  await lockReporting(client, reportingSchema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${r}`);
  await client.query(
    `COMMENT ON SCHEMA ${r} IS ${bilingual('账本报表视图（只读，供 BI 工具使用），见 docs/reporting.md', 'ledger reporting views (read-only, for BI tools), see docs/reporting.md')}`,
  );
  for (const [table, columns, zh, en] of [
    ['districts', DISTRICT_COLUMNS, '区县（来自政策目录）', 'districts (from the policy catalog)'],
    [
      'programs',
      PROGRAM_COLUMNS,
      '政策项目（来自政策目录）',
      'policy programs (from the policy catalog)',
    ],
  ] as const) {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${r}.${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
    );
    await client.query(`COMMENT ON TABLE ${r}.${table} IS ${bilingual(zh, en)}`);
    for (const [name, , columnZh, columnEn] of columns)
      await client.query(
        `COMMENT ON COLUMN ${r}.${table}.${name} IS ${bilingual(columnZh, columnEn)}`,
      );
  }
  for (const catalog of listCatalogs().sort((left, right) =>
    left.validFrom.localeCompare(right.validFrom),
  )) {
    for (const d of catalog.districts) {
      await client.query(
        `INSERT INTO ${r}.districts VALUES ($1, $2, $3, $4, $5::numeric)
         ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, district_group = EXCLUDED.district_group, city_rate = EXCLUDED.city_rate`,
        [d.code, d.nameZh, d.nameEn, d.group, d.cityRate],
      );
    }
    for (const p of catalog.programs) {
      await client.query(
        `INSERT INTO ${r}.programs VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (code) DO UPDATE SET clause = EXCLUDED.clause, title_zh = EXCLUDED.title_zh, title_en = EXCLUDED.title_en,
           scope = EXCLUDED.scope, funding = EXCLUDED.funding, catalog_id = EXCLUDED.catalog_id`,
        [p.code, p.clause, p.titleZh, p.titleEn, p.scope, p.funding, catalog.id],
      );
    }
  }
  // A user without CREATEROLE leaves the role to the DBA (docs/reporting.md); roles are per cluster, so
  // another database's store may create it at the same moment: that is not an error.
  await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${REPORTING_ROLE}')
         AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
        CREATE ROLE ${REPORTING_ROLE} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await grantReporting(client, reportingSchema);
}

/**
 * One transaction-scoped lock for everything that changes the reporting schema, its grants included
 * (the event store takes it to create reporting.events). Callers that also lock the generations table
 * take that one first, so the two locks are always taken in the same order.
 */
async function lockReporting(client: ClientBase, reportingSchema: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `ledger-reporting:${reportingSchema}`,
  ]);
}

/** USAGE on the reporting schema and SELECT on everything in it, when the role exists; nothing else. */
export async function grantReporting(client: ClientBase, reportingSchema: string): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  const { rows } = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
    REPORTING_ROLE,
  ]);
  if (rows.length === 0) return;
  await client.query(`GRANT USAGE ON SCHEMA ${r} TO ${REPORTING_ROLE}`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${r} TO ${REPORTING_ROLE}`);
  await client.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${r} GRANT SELECT ON TABLES TO ${REPORTING_ROLE}`,
  );
}

/**
 * Points every reporting view at generation `t` (CREATE OR REPLACE: same names, columns, comments and
 * grants; dependent objects of users survive), plus the as-of functions. Run inside the transaction
 * that makes `t` active, after ensureReportingBase.
 */
export async function pointReportingViews(
  client: ClientBase,
  reportingSchema: string,
  readSchema: string,
  generation: number,
): Promise<void> {
  const r = `"${assertSchemaName(reportingSchema)}"`;
  await lockReporting(client, reportingSchema);
  const views = reportingViews(
    r,
    tableNames(generation, readSchema),
    metaTableName(readSchema),
    generation,
  ).map((view) => ({
    name: `${r}.${view.name}`,
    select: selectSql(view),
    comments: [
      `COMMENT ON VIEW ${r}.${view.name} IS ${bilingual(view.zh, view.en)}`,
      ...view.columns.map(
        (column) =>
          `COMMENT ON COLUMN ${r}.${view.name}.${column.name} IS ${bilingual(column.zh, column.en)}`,
      ),
    ],
  }));
  const functions = asOfFunctions(r).flatMap((fn) => [
    fn.sql,
    `COMMENT ON FUNCTION ${r}.${fn.name}(timestamptz) IS ${bilingual(fn.zh, fn.en)}`,
  ]);
  // One round trip (a multi-statement simple query: no parameters) keeps the switch transaction short;
  // if a view's columns changed (a new version of these definitions), view by view with the fallback.
  await client.query('SAVEPOINT reporting_views');
  try {
    await client.query(
      [
        ...views.flatMap((view) => [
          `CREATE OR REPLACE VIEW ${view.name} AS ${view.select}`,
          ...view.comments,
        ]),
        ...functions,
      ].join(';\n'),
    );
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT reporting_views');
    for (const view of views) {
      await replaceView(client, view.name, view.select);
      await client.query(view.comments.join(';\n'));
    }
    await client.query(functions.join(';\n'));
  }
  await client.query('RELEASE SAVEPOINT reporting_views');
  await grantReporting(client, reportingSchema);
}

/**
 * CREATE OR REPLACE VIEW keeps grants, comments and the objects users built on the view; it refuses a
 * changed column type (a new version of these definitions): then the view is dropped with what depends
 * on it (the later views and functions here are recreated right after) and created anew.
 */
async function replaceView(client: ClientBase, view: string, select: string): Promise<void> {
  await client.query('SAVEPOINT reporting_view');
  try {
    await client.query(`CREATE OR REPLACE VIEW ${view} AS ${select}`);
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT reporting_view');
    await client.query(`DROP VIEW IF EXISTS ${view} CASCADE`);
    await client.query(`CREATE VIEW ${view} AS ${select}`);
  }
  await client.query('RELEASE SAVEPOINT reporting_view');
}

/** The set-returning as-of functions: what the API's `asOf` answers, over the history views. */
function asOfFunctions(r: string): Array<{ name: string; sql: string; zh: string; en: string }> {
  const obligations = fiscalObligationColumns('h')
    .map((column) => `${column.expr} AS ${column.name}`)
    .join(', ');
  return [
    {
      name: 'claims_as_of',
      zh: '指定账本时间的申报状态与金额（该时刻及之前的最后一个事件之后）',
      en: 'claims as they stood at a ledger time (after their last event recorded at or before it)',
      sql: `CREATE OR REPLACE FUNCTION ${r}.claims_as_of(as_of timestamptz) RETURNS SETOF ${r}.claim_history
        LANGUAGE sql STABLE AS $$
          SELECT DISTINCT ON (h.claim_id) h.* FROM ${r}.claim_history h
          WHERE h.valid_from <= as_of ORDER BY h.claim_id, h.position DESC
        $$`,
    },
    {
      name: 'caps_as_of',
      zh: '指定账本时间的额度状态（该时刻及之前记录的最新版本）',
      en: 'caps as they stood at a ledger time (the latest version recorded at or before it)',
      sql: `CREATE OR REPLACE FUNCTION ${r}.caps_as_of(as_of timestamptz) RETURNS SETOF ${r}.cap_history
        LANGUAGE sql STABLE AS $$
          SELECT DISTINCT ON (h.applicant, h.cap_id) h.* FROM ${r}.cap_history h
          WHERE h.valid_from <= as_of ORDER BY h.applicant, h.cap_id, h.position DESC
        $$`,
    },
    {
      name: 'fiscal_obligations_as_of',
      zh: '指定账本时间的财政应付与拨付（出资方×月份×条款），含期末余额',
      en: 'fiscal obligations per funder, month and clause as they stood at a ledger time, with closing balances',
      sql: `CREATE OR REPLACE FUNCTION ${r}.fiscal_obligations_as_of(as_of timestamptz) RETURNS SETOF ${r}.fiscal_obligations
        LANGUAGE sql STABLE AS $$
          SELECT ${obligations} FROM (
            SELECT DISTINCT ON (v.funder, v.month, v.clause) v.* FROM ${r}.fiscal_history v
            WHERE v.valid_from <= as_of ORDER BY v.funder, v.month, v.clause, v.valid_from DESC, v.position DESC
          ) h
        $$`,
    },
  ];
}
