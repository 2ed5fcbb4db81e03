/**
 * Committed, disbursed, outstanding and receivable by month for every treasury (the city and each
 * district), stacked by funder or by policy clause, with the chosen year's totals per funder.
 * The asOf picker replays the ledger as it stood at the end of a day.
 */
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { getFiscalObligations } from '../api/endpoints';
import type { FiscalRow } from '../api/endpoints';
import { Chart, type ChartSeries } from '../components/Chart';
import { AsOfPicker, Loaded, Money, Picker, useLoad, YearPicker } from '../components/common';
import { useI18n, type Translate } from '../i18n/i18n';
import type { Lang } from '../i18n/errors';
import {
  ALL_FIGURES,
  clauseOf,
  funderKeyOf,
  gridOf,
  hasClauseBreakdown,
  MEASURES,
  monthsOf,
  sortClauses,
  sortFunders,
  totalsByFunder,
  type FunderKey,
} from '../lib/fiscal';
import { sumMoney, toFen } from '../lib/money';
import { currentYearBeijing, districtName, endOfDayBeijing, fiscalYears } from '../lib/reference';

interface OverviewData {
  readonly months: readonly FiscalRow[];
  /** The same months per funder and policy clause (groupBy=clause). */
  readonly monthsByClause: readonly FiscalRow[];
  readonly years: readonly FiscalRow[];
}

/**
 * The year the overview opens on: the latest with commitments, else the latest with any money moving,
 * else this year (then the page says plainly that the year is empty).
 */
export function defaultYear(rows: readonly FiscalRow[], fallback: number): number {
  const active = (predicate: (row: FiscalRow) => boolean): number | null => {
    const years = rows.filter(predicate).map((row) => Number(row.period.slice(0, 4)));
    return years.length > 0 ? Math.max(...years) : null;
  };
  return (
    active((row) => toFen(row.committed) > 0n) ??
    active((row) => ALL_FIGURES.some((figure) => toFen(row[figure] ?? '0.00') !== 0n)) ??
    fallback
  );
}

export function OverviewView(): ReactNode {
  const { t } = useI18n();
  // One small request for every year's totals picks the opening year.
  const span = useLoad(
    (signal) =>
      getFiscalObligations(
        { period: 'year', from: String(fiscalYears()[0]), to: String(fiscalYears().at(-1)) },
        signal,
      ),
    [],
  );
  if (span.result.state === 'loading') return <p className="loading">{t('common.loading')}</p>;
  const initial =
    span.result.state === 'ready'
      ? defaultYear(span.result.data, currentYearBeijing())
      : currentYearBeijing();
  return <OverviewOfYear initialYear={initial} />;
}

function OverviewOfYear({ initialYear }: { readonly initialYear: number }): ReactNode {
  const { t } = useI18n();
  const [year, setYear] = useState(initialYear);
  const [asOfDate, setAsOfDate] = useState('');
  const [funder, setFunder] = useState<FunderKey | 'all'>('all');
  const [stackBy, setStackBy] = useState<'funder' | 'clause'>('funder');
  const startedAt = useRef(performance.now());
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const finished = useRef(new Set<string>());

  const asOf = asOfDate ? endOfDayBeijing(asOfDate) : undefined;
  const { result, reload } = useLoad<OverviewData>(
    async (signal) => {
      startedAt.current = performance.now();
      finished.current = new Set();
      setRenderMs(null);
      const [months, monthsByClause, years] = await Promise.all([
        getFiscalObligations(
          { period: 'month', from: `${year}-01`, to: `${year}-12`, asOf },
          signal,
        ),
        getFiscalObligations(
          { period: 'month', from: `${year}-01`, to: `${year}-12`, asOf, groupBy: 'clause' },
          signal,
        ),
        getFiscalObligations(
          { period: 'year', from: String(year), to: String(year), asOf },
          signal,
        ),
      ]);
      return { months, monthsByClause, years };
    },
    [year, asOf],
  );

  const onRendered = useCallback((id: string) => {
    finished.current.add(id);
    if (finished.current.size >= MEASURES.length) {
      const elapsed = performance.now() - startedAt.current;
      setRenderMs((previous) => previous ?? Math.round(elapsed));
    }
  }, []);

  return (
    <section
      data-view="overview"
      data-ready={result.state === 'ready' && renderMs !== null ? 'true' : 'false'}
      data-render-ms={renderMs ?? ''}
      data-year={year}
      data-asof={asOf ?? ''}
    >
      <h1>{t('overview.title')}</h1>
      <div className="toolbar">
        <YearPicker year={year} onChange={setYear} years={fiscalYears()} />
        <AsOfPicker date={asOfDate} onChange={setAsOfDate} />
      </div>
      <Loaded result={result} reload={reload}>
        {(data) => (
          <OverviewBody
            data={data}
            year={year}
            funder={funder}
            setFunder={setFunder}
            stackBy={stackBy}
            setStackBy={setStackBy}
            onRendered={onRendered}
          />
        )}
      </Loaded>
    </section>
  );
}

interface BodyProps {
  readonly data: OverviewData;
  readonly year: number;
  readonly funder: FunderKey | 'all';
  readonly setFunder: (funder: FunderKey | 'all') => void;
  readonly stackBy: 'funder' | 'clause';
  readonly setStackBy: (stackBy: 'funder' | 'clause') => void;
  readonly onRendered: (id: string) => void;
}

function OverviewBody({
  data,
  year,
  funder,
  setFunder,
  stackBy,
  setStackBy,
  onRendered,
}: BodyProps): ReactNode {
  const { t, lang } = useI18n();
  const months = useMemo(() => monthsOf(year), [year]);
  const funders = useMemo(
    () => sortFunders([...data.months, ...data.years].map(funderKeyOf)),
    [data],
  );
  const empty = useMemo(
    () =>
      totalsByFunder(data.years).every((total) =>
        ALL_FIGURES.every((figure) => toFen(total.figures[figure]) === 0n),
      ),
    [data],
  );
  const clauseAvailable = hasClauseBreakdown(data.monthsByClause);
  const effectiveStack = clauseAvailable ? stackBy : 'funder';
  const source = effectiveStack === 'clause' ? data.monthsByClause : data.months;
  const rows = useMemo(
    () => (funder === 'all' ? source : source.filter((row) => funderKeyOf(row) === funder)),
    [source, funder],
  );

  const charts = useMemo(
    () =>
      MEASURES.map((measure) => {
        const grid =
          effectiveStack === 'clause'
            ? gridOf(rows, months, measure, (row) => clauseOf(row) ?? '—', sortClauses)
            : gridOf(rows, months, measure, funderKeyOf, sortFunders);
        const series: ChartSeries[] = grid.keys.map((key) => ({
          key,
          label: effectiveStack === 'clause' ? key : funderLabel(key, lang, t),
          values: grid.values.get(key) ?? [],
        }));
        const drawn = effectiveStack === 'funder' ? groupTreasuries(series, lang, t) : series;
        return { measure, series, drawn };
      }),
    [rows, months, effectiveStack, lang, t],
  );

  return (
    <>
      <div className="toolbar">
        <Picker
          label={t('overview.funder')}
          testId="funder-picker"
          value={funder}
          options={[
            { value: 'all', label: t('common.all') },
            ...funders.map((key) => ({ value: key, label: funderLabel(key, lang, t) })),
          ]}
          onChange={setFunder}
        />
        <span className="control">
          {t('overview.stackedBy')}
          <label>
            <input
              type="radio"
              name="stack"
              checked={effectiveStack === 'funder'}
              onChange={() => setStackBy('funder')}
            />{' '}
            {t('overview.byFunder')}
          </label>
          <label>
            <input
              type="radio"
              name="stack"
              data-testid="stack-clause"
              disabled={!clauseAvailable}
              checked={effectiveStack === 'clause'}
              onChange={() => setStackBy('clause')}
            />{' '}
            {t('overview.byClause')}
          </label>
        </span>
      </div>
      {empty ? (
        <p className="notice warn" data-testid="year-empty">
          {t('overview.emptyYear', { year })}
        </p>
      ) : null}
      <div className="grid2">
        {charts.map(({ measure, series, drawn }) => (
          <Chart
            key={measure}
            id={measure}
            title={t('overview.chartTitle', { measure: t(`measure.${measure}`) })}
            categories={months}
            categoryLabel={t('overview.month')}
            series={series}
            drawn={drawn}
            onRendered={onRendered}
          />
        ))}
      </div>
      <TotalsTable rows={data.years} year={year} />
    </>
  );
}

/** Districts drawn one by one; the rest are drawn as one "other districts" bar (the table lists all). */
const TOP_DISTRICTS = 4;

/**
 * Fifteen treasuries do not read as fifteen colours: the chart draws the city, the districts with the
 * largest amounts in the period and "N other districts" summed; the data table keeps every treasury.
 */
export function groupTreasuries(
  series: readonly ChartSeries[],
  lang: Lang,
  t: Translate,
): readonly ChartSeries[] {
  const city = series.filter((entry) => entry.key === 'city');
  const districts = series
    .filter((entry) => entry.key !== 'city')
    .map((entry) => ({ entry, total: entry.values.reduce((sum, value) => sum + toFen(value), 0n) }))
    .filter(({ total }) => total !== 0n)
    .sort((left, right) => (left.total === right.total ? 0 : left.total > right.total ? -1 : 1));
  if (districts.length <= TOP_DISTRICTS + 1)
    return [...city, ...districts.map(({ entry }) => entry)];
  const top = districts.slice(0, TOP_DISTRICTS).map(({ entry }) => entry);
  const rest = districts.slice(TOP_DISTRICTS).map(({ entry }) => entry);
  const length = Math.max(...rest.map((entry) => entry.values.length));
  const other: ChartSeries = {
    key: 'district:other',
    label:
      lang === 'zh'
        ? t('overview.otherDistricts', { count: rest.length })
        : t('overview.otherDistricts', { count: rest.length }),
    values: Array.from({ length }, (_, index) =>
      sumMoney(rest.map((entry) => entry.values[index])),
    ),
  };
  return [...city, ...top, other];
}

export function funderLabel(key: FunderKey, lang: Lang, t: Translate): string {
  if (key === 'city') return t('funder.city');
  return districtName(key.replace(/^district:/, ''), lang);
}

const TOTAL_MEASURES = ALL_FIGURES;

function TotalsTable({
  rows,
  year,
}: {
  readonly rows: readonly FiscalRow[];
  readonly year: number;
}): ReactNode {
  const { t, lang } = useI18n();
  const totals = totalsByFunder(rows);
  return (
    <section className="panel">
      <h2>{t('overview.totals', { year })}</h2>
      <table className="data" data-testid="totals-table">
        <thead>
          <tr>
            <th scope="col">{t('overview.funder')}</th>
            {TOTAL_MEASURES.map((measure) => (
              <th scope="col" className="num" key={measure}>
                {t(`measure.${measure}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {totals.map((total) => (
            <tr key={total.funder} data-funder={total.funder}>
              <th scope="row">{funderLabel(total.funder, lang, t)}</th>
              {TOTAL_MEASURES.map((measure) => (
                <td
                  className="num"
                  key={measure}
                  data-measure={measure}
                  data-value={total.figures[measure]}
                >
                  <Money amount={total.figures[measure]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('common.total')}</th>
            {TOTAL_MEASURES.map((measure) => (
              <td className="num" key={measure} data-measure={measure}>
                <Money amount={sumMoney(totals.map((total) => total.figures[measure]))} />
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
