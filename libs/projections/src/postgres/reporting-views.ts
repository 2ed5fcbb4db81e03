/**
 * The BI views of each registered read model (docs/reporting.md), over the tables of one generation:
 * stable names, money as numeric(18,2), times as timestamptz, fiscal months as dates, every column
 * commented in Chinese and English. `reportingViews` walks the registry (../model/registry.ts) in order,
 * so a view may read the views of the models before it, and a new model adds its views here under its
 * name. Columns are tables of `name | SQL expression | 中文 | English` (@hz/event-store reportingColumns).
 */
import { reportingColumns as columns, type ReportingColumn } from '@hz/event-store';
import { READ_MODELS, type ReadModelName } from '../model/registry';
import type { TableNames } from '../sql/generation-sql';

/** Funder code of the municipal budget in fiscal rows (every other funder is a district code). */
const CITY_FUNDER = 'city';

export interface ReportingView {
  readonly name: string;
  readonly zh: string;
  readonly en: string;
  readonly columns: readonly ReportingColumn[];
  /** FROM … WHERE … (everything after the select list). */
  readonly from: string;
}

/** Where the views of one generation read from: `r` the quoted reporting schema, `t` the tables. */
export interface ReportingContext {
  readonly r: string;
  readonly t: TableNames;
  readonly meta: string;
  readonly generation: number;
}

/** The views of one generation, in creation order (later views read earlier ones). */
export function reportingViews(context: ReportingContext): ReportingView[] {
  return [
    statusView(context),
    ...READ_MODELS.flatMap((model) => VIEWS_BY_MODEL[model.name]?.(context) ?? []),
  ];
}

const money = (expr: string): string => `(${expr})::numeric(18,2)`;
const epochMs = (expr: string): string =>
  `(timestamptz 'epoch' + ${expr} * interval '1 millisecond')`;
const ZERO = '0::numeric(18,2)';

function statusView({ meta, generation }: ReportingContext): ReportingView {
  return {
    name: 'status',
    zh: '报表数据的新鲜度：投影已处理到的账本位置与账本时间',
    en: 'freshness of the reporting data: the ledger position and ledger time the projection has reached',
    columns: columns`
      ledger_position | m.position | 已投影的最后一个事件在总账中的位置 | log position of the last event projected
      ledger_time | ${epochMs('m.watermark_ms')}
        | 已投影事件的账本时间（记录时间水位） | ledger time (recorded-at watermark) of the events projected
    `,
    from: `FROM ${meta} m WHERE m.generation = ${generation}`,
  };
}

/** The applicant of a row `r` and its name (from the applicants table joined as `a`). */
const applicantColumns = (r: string): ReportingColumn[] => columns`
  applicant | ${r}.applicant | 申报主体统一社会信用代码 | applicant USCC
  applicant_name | a.name | 申报主体名称 | applicant name
`;

/** A model's views; absent for a model without any. */
const VIEWS_BY_MODEL: {
  readonly [Name in ReadModelName]?: (c: ReportingContext) => ReportingView[];
} = {
  claims: (c) => [claimsView(c)],
  applicants: ({ r, t }) => [
    {
      name: 'applicants',
      zh: '申报主体（企业）及其当前所在区县',
      en: 'applicants (enterprises) and the district they are in now',
      columns: columns`
          uscc | a.uscc | 统一社会信用代码 | unified social credit code
          name | a.name | 企业名称 | enterprise name
          district | a.district | 当前所在区县代码（迁移后为迁入区县） | current district code (after relocations)
          district_name_zh | d.name_zh | 当前所在区县中文名 | current district, Chinese name
          district_name_en | d.name_en | 当前所在区县英文名 | current district, English name
          district_group | d.district_group | 区县分档（A/B，第十一条） | district group (A or B, clause 11)
          last_position | a.position | 最后改变该行的事件位置 | log position of the event that last changed this row
        `,
      from: `FROM ${t.applicants} a LEFT JOIN ${r}.districts d ON d.code = a.district`,
    },
  ],
  awards: ({ r, t }) => [
    {
      name: 'one_time_awards',
      zh: '一次性奖励（每个主体每个项目至多一项有效）',
      en: 'one-time awards (at most one in effect per applicant and program)',
      columns: [
        ...applicantColumns('w'),
        ...columns`
          program_code | w.program_code | 政策项目代码 | policy program code
          program_title_zh | p.title_zh | 政策项目中文名称 | policy program, Chinese title
          program_title_en | p.title_en | 政策项目英文名称 | policy program, English title
          claim_id | w.claim_id | 申报编号 | claim id
          amount | ${money('w.amount')} | 奖励金额（元） | award amount (CNY)
          status | w.status | 所属申报的状态 | status of the claim
          last_position | w.position | 最后改变该行的事件位置 | log position of the event that last changed this row
        `,
      ],
      from: `FROM ${t.awards} w LEFT JOIN ${t.applicants} a ON a.uscc = w.applicant LEFT JOIN ${r}.programs p ON p.code = w.program_code`,
    },
  ],
  audit: (c) => [claimHistoryView(c), ...paymentViews(c)],
  capVersions: (c) => {
    const history = capHistoryView(c);
    return [
      history,
      currentOf(
        history,
        'caps',
        '额度（上限）当前状态：上限、已占用、剩余、已拨付',
        'caps as they stand now: cap, granted, remaining, paid',
        c,
      ),
    ];
  },
  fiscalVersions: (c) => {
    const history = fiscalHistoryView(c);
    return [
      history,
      {
        name: 'fiscal_obligations',
        zh: '财政应付与拨付（出资方×月份×条款）当前数，含期末未拨付与应收余额',
        en: 'fiscal obligations per funder, month and clause as they stand now, with closing outstanding and receivable balances',
        columns: fiscalObligationColumns('h'),
        from: `FROM ${c.r}.fiscal_history h WHERE h.valid_to IS NULL`,
      },
    ];
  },
};

/** The current rows of a history view (`valid_to IS NULL`), with the same columns and comments. */
function currentOf(
  history: ReportingView,
  name: string,
  zh: string,
  en: string,
  { r }: ReportingContext,
): ReportingView {
  return {
    name,
    zh,
    en,
    columns: history.columns.map((column) => ({ ...column, expr: `h.${column.name}` })),
    from: `FROM ${r}.${history.name} h WHERE h.valid_to IS NULL`,
  };
}

function claimsView({ r, t }: ReportingContext): ReportingView {
  const districtName = (lang: 'zh' | 'en'): string =>
    `(SELECT name_${lang} FROM ${r}.districts d WHERE d.code = c.split_district)`;
  const unpaid = (funder: 'city' | 'district'): string =>
    `CASE WHEN c.status = 'approved' THEN ${money(`c.split_${funder}_share::numeric - c.paid_${funder}::numeric`)} ELSE ${ZERO} END`;
  const approvedAt = `CASE WHEN c.status IN ('approved', 'revoked') THEN (SELECT max(e.recorded_at::timestamptz) FROM ${t.audit} e WHERE e.claim_id = c.claim_id AND e.type IN ('ClaimApproved', 'ApprovalCountersigned')) END`;
  return {
    name: 'claims',
    zh: '申报（兑付申请）的当前状态与各出资方金额',
    en: 'claims: where each stands now and what each funder owes, paid, cancelled and recovers',
    columns: columns`
      claim_id | c.claim_id | 申报编号 | claim id
      applicant | c.applicant | 申报主体统一社会信用代码 | applicant USCC
      applicant_name | a.name | 申报主体名称 | applicant name
      applicant_district | a.district | 申报主体当前所在区县代码 | applicant current district code
      program_code | c.program_code | 政策项目代码 | policy program code
      program_title_zh | p.title_zh | 政策项目中文名称 | policy program, Chinese title
      program_title_en | p.title_en | 政策项目英文名称 | policy program, English title
      clause | p.clause | 政策条款 | policy clause
      support_year | c.support_year | 支持年度 | support year
      subject_key | c.subject_key | 按项目（展会、仓库、活动）申报时的对象标识
        | subject of a per-subject program (exhibition, warehouse, event)
      status | c.status | 状态：submitted/withdrawn/rejected/pending_countersign/approved/revoked
        | status: submitted, withdrawn, rejected, pending_countersign, approved, revoked
      requested_amount | ${money('c.requested_amount')} | 申请金额（元） | amount requested (CNY)
      approved_amount | ${money('c.approved_amount')} | （最近一次）批准金额（元），未批准为空
        | amount of the (last) approval decision (CNY); null if never approved
      countersign_required | c.countersign_required = 1 | 是否需要复核（会签） | whether a second reviewer must countersign
      funding | c.split_funding | 资金来源：split 市区分担 / city 市级全额 | funding: split between city and district, or city only
      split_district | c.split_district | 批准时的分担区县代码（之后迁移不改变） | district sharing the cost, fixed at approval
      split_district_name_zh | ${districtName('zh')} | 分担区县中文名 | cost-sharing district, Chinese name
      split_district_name_en | ${districtName('en')} | 分担区县英文名 | cost-sharing district, English name
      district_group | c.split_group | 分担区县分档（A/B） | group of the cost-sharing district (A or B)
      city_rate | (c.split_city_rate)::numeric | 市级分担比例 | city share rate
      city_share | ${money('c.split_city_share')} | 市级应承担金额（元） | city share of the approved amount (CNY)
      district_share | ${money('c.split_district_share')} | 区县应承担金额（元） | district share of the approved amount (CNY)
      paid_city | ${money('c.paid_city')} | 市级已拨付（元） | paid by the city (CNY)
      paid_district | ${money('c.paid_district')} | 区县已拨付（元） | paid by the district (CNY)
      unpaid_city | ${unpaid('city')} | 市级已批未拨（元） | city share approved but not yet paid (CNY)
      unpaid_district | ${unpaid('district')} | 区县已批未拨（元） | district share approved but not yet paid (CNY)
      cancelled_city | ${money('c.cancelled_city')} | 撤销时取消的市级未拨付金额（元） | city share cancelled unpaid at revocation (CNY)
      cancelled_district | ${money('c.cancelled_district')} | 撤销时取消的区县未拨付金额（元）
        | district share cancelled unpaid at revocation (CNY)
      receivable_city | ${money('c.receivable_city')} | 市级应收（撤销后应追回）（元） | receivable to the city after revocation (CNY)
      receivable_district | ${money('c.receivable_district')} | 区县应收（撤销后应追回）（元）
        | receivable to the district after revocation (CNY)
      recovered_city | ${money('c.recovered_city')} | 市级已追回（元） | recovered by the city (CNY)
      recovered_district | ${money('c.recovered_district')} | 区县已追回（元） | recovered by the district (CNY)
      approved_at | ${approvedAt} | 批准生效的账本时间（需会签的为会签时间）
        | ledger time the approval took effect (the countersignature when one was required)
      submitted_at | c.submitted_at::timestamptz | 提交的账本时间 | ledger time of submission
      last_recorded_at | c.last_recorded_at::timestamptz | 最后一次变化的账本时间 | ledger time of the last change
      last_event_type | c.last_event_type | 最后一次变化的事件类型 | type of the event of the last change
      submitted_position | c.submitted_position | 提交事件在总账中的位置（队列顺序） | log position of the submission (queue order)
      last_position | c.last_position | 最后一次变化的事件位置 | log position of the last change
    `,
    from: `FROM ${t.claims} c LEFT JOIN ${t.applicants} a ON a.uscc = c.applicant LEFT JOIN ${r}.programs p ON p.code = c.program_code`,
  };
}

/**
 * The claim's status after event `e` (data `j.d`), as the claim-summary model evolves it
 * (../model/claim-summary.ts): a payment only follows an approval, a recovery a revocation.
 */
const STATUS_AFTER_EVENT = `CASE e.type WHEN 'ClaimSubmitted' THEN 'submitted' WHEN 'ClaimWithdrawn' THEN 'withdrawn' WHEN 'ClaimRejected' THEN 'rejected'
    WHEN 'ClaimApproved' THEN CASE WHEN (j.d->>'countersignRequired')::boolean THEN 'pending_countersign' ELSE 'approved' END
    WHEN 'ApprovalCountersigned' THEN 'approved' WHEN 'ApprovalCountersignRejected' THEN 'rejected'
    WHEN 'DisbursementRecorded' THEN 'approved' WHEN 'ClaimRevoked' THEN 'revoked' WHEN 'RecoveryRecorded' THEN 'revoked' END`;

function claimHistoryView({ t }: ReportingContext): ReportingView {
  const window = 'OVER (PARTITION BY e.claim_id ORDER BY e.position)';
  // Σ amount of the claim's `type` events for `funder` up to and including this one.
  const running = (type: string, funder: string): string =>
    money(
      `sum(CASE WHEN e.type = '${type}' AND j.d->>'funder' = '${funder}' THEN (j.d->>'amount')::numeric ELSE 0 END) ${window}`,
    );
  // The revocation's `field` amount for `funder` once the claim is revoked, else zero.
  const revoked = (field: string, funder: string): string =>
    money(
      `coalesce(max(CASE WHEN e.type = 'ClaimRevoked' THEN (j.d->'${field}'->>'${funder}')::numeric END) ${window}, 0)`,
    );
  const perFunder = (['city', 'district'] as const).flatMap((funder) => {
    const zh = funder === 'city' ? '市级' : '区县';
    return columns`
      paid_${funder} | ${running('DisbursementRecorded', funder)} | 截至该事件${zh}已拨付（元）
        | paid by the ${funder} up to this event (CNY)
      cancelled_${funder} | ${revoked('cancelled', funder)} | 截至该事件撤销取消的${zh}未拨付金额（元）
        | ${funder} share cancelled unpaid by a revocation up to this event (CNY)
      receivable_${funder} | ${revoked('receivable', funder)} | 截至该事件${zh}应收（元）
        | receivable to the ${funder} up to this event (CNY)
      recovered_${funder} | ${running('RecoveryRecorded', funder)} | 截至该事件${zh}已追回（元）
        | recovered by the ${funder} up to this event (CNY)
    `;
  });
  return {
    name: 'claim_history',
    zh: '申报的全部历史：每个事件之后的状态与累计金额，含生效起止账本时间，可按任意时点查询',
    en: 'the history of every claim: status and running amounts after each of its events, with the ledger times valid from and to (as-of queries)',
    columns: [
      ...columns`
        claim_id | e.claim_id | 申报编号 | claim id
        applicant | c.applicant | 申报主体统一社会信用代码 | applicant USCC
        program_code | c.program_code | 政策项目代码 | policy program code
        support_year | c.support_year | 支持年度 | support year
        event_type | e.type | 事件类型 | event type
        status | ${STATUS_AFTER_EVENT} | 该事件之后的状态 | status after the event
      `,
      ...perFunder,
      ...columns`
        actor | e.actor | 经办人 | who caused the event
        position | e.position | 事件在总账中的位置 | log position of the event
        valid_from | e.recorded_at::timestamptz | 该状态生效的账本时间 | ledger time this state became valid
        valid_to | lead(e.recorded_at::timestamptz) ${window} | 被下一事件取代的账本时间，当前状态为空
          | ledger time the next event replaced it; null for the current state
      `,
    ],
    from: `FROM ${t.audit} e CROSS JOIN LATERAL (SELECT e.data_json::jsonb AS d) j LEFT JOIN ${t.claims} c ON c.claim_id = e.claim_id`,
  };
}

/** Disbursements and recoveries of claims: events of the claim's audit trail, `data_json` their data. */
function paymentViews({ t }: ReportingContext): ReportingView[] {
  const from = (type: string): string =>
    `FROM ${t.audit} a CROSS JOIN LATERAL (SELECT a.data_json::jsonb AS d) j LEFT JOIN ${t.claims} c ON c.claim_id = a.claim_id WHERE a.type = '${type}'`;
  const claimColumns = columns`
    claim_id | a.claim_id | 申报编号 | claim id
    applicant | c.applicant | 申报主体统一社会信用代码 | applicant USCC
    program_code | c.program_code | 政策项目代码 | policy program code
  `;
  const recorded = columns`
    recorded_at | a.recorded_at::timestamptz | 记账的账本时间 | ledger time recorded
    actor | a.actor | 经办人 | finance officer who recorded it
  `;
  return [
    {
      name: 'disbursements',
      zh: '每笔拨付（申报项下，市级或区县）',
      en: 'each disbursement of a claim (city or district)',
      columns: [
        ...columns`position | a.position | 拨付事件在总账中的位置 | log position of the disbursement event`,
        ...claimColumns,
        ...columns`
          funder | j.d->>'funder' | 出资方：city 市级 / district 区县 | funder: city or district
          district | j.d->>'district' | 区县出资时的区县代码（批准时确定） | paying district code (fixed at approval)
          amount | ${money("j.d->>'amount'")} | 拨付金额（元） | amount paid (CNY)
          payment_ref | j.d->>'paymentRef' | 支付凭证号（全局唯一） | payment reference (unique)
          paid_on | (j.d->>'paidAt')::date | 支付日期（业务日期） | payment date (business date)
        `,
        ...recorded,
      ],
      from: from('DisbursementRecorded'),
    },
    {
      name: 'recoveries',
      zh: '每笔追回（撤销后收回已拨付资金）',
      en: 'each recovery of paid money after a revocation',
      columns: [
        ...columns`position | a.position | 追回事件在总账中的位置 | log position of the recovery event`,
        ...claimColumns,
        ...columns`
          funder | j.d->>'funder' | 收回方：city 市级 / district 区县 | funder the money goes back to: city or district
          district | j.d->>'district' | 区县代码（批准时确定） | district code (fixed at approval)
          amount | ${money("j.d->>'amount'")} | 追回金额（元） | amount recovered (CNY)
          recovery_ref | j.d->>'recoveryRef' | 追回凭证号（全局唯一） | recovery reference (unique)
          recovered_on | (j.d->>'recoveredAt')::date | 追回日期（业务日期） | recovery date (business date)
        `,
        ...recorded,
      ],
      from: from('RecoveryRecorded'),
    },
  ];
}

function capHistoryView({ t }: ReportingContext): ReportingView {
  const validTo = epochMs(
    'lead(v.recorded_at_ms) OVER (PARTITION BY v.applicant, v.cap_id ORDER BY v.position)',
  );
  const remaining = money(
    'CASE WHEN v.cap IS NULL THEN NULL ELSE v.cap::numeric - v.granted::numeric END',
  );
  return {
    name: 'cap_history',
    zh: '额度（上限）的全部历史版本，含生效起止账本时间，可按任意时点查询',
    en: 'every version of every cap with the ledger times it was valid from and to (as-of queries)',
    columns: [
      ...applicantColumns('v'),
      ...columns`
      cap_id | v.cap_id | 额度标识（项目、范围与年度或对象） | cap id (program, scope and year or subject)
      kind | v.kind | 额度类型：annual 年度 / one-time 一次性 / subject 按对象 / applicant-total 主体合计
        | cap kind: annual, one-time, subject, applicant-total
      program_code | v.program_code | 政策项目代码 | policy program code
      support_year | v.support_year | 支持年度（仅年度额度） | support year (annual caps only)
      subject_key | v.subject_key | 对象标识（仅按对象额度） | subject (per-subject caps only)
      cap | ${money('v.cap')} | 上限金额（元），无金额上限为空 | cap amount (CNY); null when the scope has no amount cap
      granted | ${money('v.granted')} | 已占用：已批准及待会签预留，扣除已撤销（元）
        | granted: approved and reserved (awaiting countersignature), minus revoked (CNY)
      remaining | ${remaining} | 剩余额度 = 上限 − 已占用（元） | remaining = cap − granted (CNY)
      paid | ${money('v.paid')} | 该额度项下已拨付净额（扣除追回）（元） | paid under this cap net of recoveries (CNY)
      position | v.position | 产生该版本的事件位置 | log position of the event that produced this version
      valid_from | ${epochMs('v.recorded_at_ms')} | 该版本生效的账本时间 | ledger time this version became valid
      valid_to | ${validTo} | 被下一版本取代的账本时间，当前版本为空
        | ledger time the next version replaced it; null for the current version
    `,
    ],
    from: `FROM ${t.capVersions} v LEFT JOIN ${t.applicants} a ON a.uscc = v.applicant`,
  };
}

const FUNDER_DOC = columns`
  funder | ${'X'} | 出资方：${CITY_FUNDER} 为市本级，其余为区县代码 | funder: ${CITY_FUNDER} for the municipal budget, else a district code
`;

/** The flows of a fiscal month: the columns of fiscal_history, and of fiscal_obligations over it. */
const FLOWS = columns`
  committed | ${'X'} | 当月新增承诺（已批准应付）金额 | amount committed (approved, payable) in the month
  disbursed | ${'X'} | 当月拨付金额 | amount disbursed in the month
  cancelled | ${'X'} | 当月撤销（未拨付部分取消）金额 | unpaid commitments cancelled in the month (revocations)
  receivable | ${'X'} | 当月新增应收（撤销后应追回）金额 | new receivables in the month (paid amounts to recover after revocation)
  recovered | ${'X'} | 当月追回金额 | amount recovered in the month
`;

function fiscalHistoryView({ r, t }: ReportingContext): ReportingView {
  const funderName = (lang: 'zh' | 'en', city: string): string =>
    `CASE WHEN v.funder = '${CITY_FUNDER}' THEN '${city}' ELSE (SELECT name_${lang} FROM ${r}.districts d WHERE d.code = v.funder) END`;
  const validTo = epochMs(
    'lead(v.recorded_at_ms) OVER (PARTITION BY v.funder, v.month, v.clause ORDER BY v.recorded_at_ms, v.position)',
  );
  return {
    name: 'fiscal_history',
    zh: '财政资金流（出资方×月份×条款）的全部历史版本，含生效起止账本时间',
    en: 'every version of the fiscal flows per funder, month and clause, with the ledger times it was valid from and to',
    columns: [
      ...FUNDER_DOC.map((column) => ({ ...column, expr: 'v.funder' })),
      ...columns`
        funder_name_zh | ${funderName('zh', '杭州市本级')} | 出资方中文名 | funder, Chinese name
        funder_name_en | ${funderName('en', 'Hangzhou municipal budget')} | 出资方英文名 | funder, English name
        month | to_date(v.month, 'YYYY-MM') | 财政月份（业务时间，杭州时区；取当月1日）
          | fiscal month (business time, Hangzhou), as its first day
        clause | v.clause | 政策条款（如 一(一)、五(九)）
          | policy clause, in the Chinese numbering of the policy (e.g. clause 1 item 1)
      `,
      ...FLOWS.map((column) => ({ ...column, expr: money(`v.${column.name}`) })),
      ...columns`
        position | v.position | 产生该版本的事件位置 | log position of the event that produced this version
        valid_from | ${epochMs('v.recorded_at_ms')} | 该版本生效的账本时间 | ledger time this version became valid
        valid_to | ${validTo} | 被下一版本取代的账本时间，当前版本为空
          | ledger time the next version replaced it; null for the current version
      `,
    ],
    from: `FROM ${t.fiscalVersions} v`,
  };
}

/** The columns of fiscal_obligations (and of fiscal_obligations_as_of) over rows `h` of fiscal_history. */
export function fiscalObligationColumns(h: string): ReportingColumn[] {
  const running = (expr: string): string =>
    money(`sum(${expr}) OVER (PARTITION BY ${h}.funder, ${h}.clause ORDER BY ${h}.month)`);
  const flow = (name: string): ReportingColumn[] =>
    FLOWS.filter((column) => column.name === name).map((column) => ({
      ...column,
      expr: `${h}.${name}`,
    }));
  return [
    ...FUNDER_DOC.map((column) => ({ ...column, expr: `${h}.funder` })),
    ...columns`
      funder_name_zh | ${h}.funder_name_zh | 出资方中文名 | funder, Chinese name
      funder_name_en | ${h}.funder_name_en | 出资方英文名 | funder, English name
      month | ${h}.month | 财政月份（业务时间，杭州时区；取当月1日） | fiscal month (business time, Hangzhou), as its first day
      clause | ${h}.clause | 政策条款（如 一(一)、五(九)）
        | policy clause, in the Chinese numbering of the policy (e.g. clause 1 item 1)
    `,
    ...flow('committed'),
    ...flow('disbursed'),
    ...flow('cancelled'),
    ...columns`
      outstanding | ${running(`${h}.committed - ${h}.disbursed - ${h}.cancelled`)}
        | 期末未拨付余额：本出资方本条款截至当月 Σ(承诺 − 拨付 − 取消)
        | closing outstanding balance: Σ(committed − disbursed − cancelled) of this funder and clause through the month
    `,
    ...flow('receivable'),
    ...flow('recovered'),
    ...columns`
      receivable_outstanding | ${running(`${h}.receivable - ${h}.recovered`)} | 期末应收余额：截至当月 Σ(应收 − 追回)
        | closing receivable balance: Σ(receivable − recovered) of this funder and clause through the month
      position | ${h}.position | 产生该数的事件位置 | log position of the event that produced these figures
      valid_from | ${h}.valid_from | 该数生效的账本时间 | ledger time these figures became valid
    `,
  ];
}
