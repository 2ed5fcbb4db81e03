/** One district treasury: its fiscal group (clause 十一) and what it owes, month by month. */
import { useMemo, useState, type ReactNode } from 'react';
import { getFiscalObligations } from '../api/endpoints';
import type { FiscalRow } from '../api/endpoints';
import { Chart } from '../components/Chart';
import { AsOfPicker, Loaded, Money, Picker, useLoad, YearPicker } from '../components/common';
import { GroupBadge } from '../components/GroupBadge';
import { useI18n } from '../i18n/i18n';
import { ALL_FIGURES, funderParam, monthsOf, totalsByFunder, type Measure } from '../lib/fiscal';
import { fromFen, toFen } from '../lib/money';
import { navigate } from '../lib/router';
import {
  currentYearBeijing,
  DISTRICTS,
  districtName,
  endOfDayBeijing,
  fiscalYears,
} from '../lib/reference';

const CHART_MEASURES: readonly Measure[] = ['committed', 'disbursed', 'outstanding', 'receivable'];

export function DistrictView({ code }: { readonly code: string | null }): ReactNode {
  const { t, lang } = useI18n();
  const district = code ?? DISTRICTS[0]?.code ?? 'shangcheng';
  const [year, setYear] = useState(currentYearBeijing);
  const [asOfDate, setAsOfDate] = useState('');
  const asOf = asOfDate ? endOfDayBeijing(asOfDate) : undefined;
  const funder = funderParam(`district:${district}`);

  const { result, reload } = useLoad(
    async (signal) => {
      const [months, years] = await Promise.all([
        getFiscalObligations(
          { funder, period: 'month', from: `${year}-01`, to: `${year}-12`, asOf },
          signal,
        ),
        getFiscalObligations(
          { funder, period: 'year', from: String(year), to: String(year), asOf },
          signal,
        ),
      ]);
      return { months, years };
    },
    [funder, year, asOf],
  );

  return (
    <section
      data-view="district"
      data-district={district}
      data-ready={result.state === 'ready' ? 'true' : 'false'}
    >
      <h1>{t('district.title')}</h1>
      <div className="toolbar">
        <Picker
          label={t('district.pick')}
          testId="district-picker"
          value={district}
          options={DISTRICTS.map((entry) => ({ value: entry.code, label: entry[lang] }))}
          onChange={(code) => navigate({ name: 'district', code })}
        />
        <YearPicker year={year} onChange={setYear} years={fiscalYears()} />
        <AsOfPicker date={asOfDate} onChange={setAsOfDate} />
      </div>
      <section className="panel">
        <dl className="facts">
          <dt>{t('district.group')}</dt>
          <dd>
            <GroupBadge district={district} testId="district-group" />
          </dd>
        </dl>
      </section>
      <Loaded result={result} reload={reload}>
        {(data) => (
          <DistrictBody
            months={data.months}
            years={data.years}
            year={year}
            title={t('district.obligations', { district: districtName(district, lang), year })}
          />
        )}
      </Loaded>
    </section>
  );
}

function DistrictBody({
  months,
  years,
  year,
  title,
}: {
  readonly months: readonly FiscalRow[];
  readonly years: readonly FiscalRow[];
  readonly year: number;
  readonly title: string;
}): ReactNode {
  const { t } = useI18n();
  const categories = useMemo(() => monthsOf(year), [year]);
  const series = useMemo(
    () =>
      CHART_MEASURES.map((measure) => {
        const fen = categories.map(() => 0n);
        for (const row of months) {
          const index = categories.indexOf(row.period);
          if (index !== -1) fen[index] = (fen[index] ?? 0n) + toFen(row[measure]);
        }
        return { key: measure, label: t(`measure.${measure}`), values: fen.map(fromFen) };
      }),
    [months, categories, t],
  );
  const total = totalsByFunder(years)[0];
  return (
    <>
      <Chart
        id="district"
        title={title}
        categories={categories}
        categoryLabel={t('overview.month')}
        series={series}
        stacked={false}
      />
      <section className="panel">
        <h2>{t('overview.totals', { year })}</h2>
        <table className="data" data-testid="district-totals">
          <tbody>
            {ALL_FIGURES.map((figure) => (
              <tr key={figure}>
                <th scope="row">{t(`measure.${figure}`)}</th>
                <td
                  className="num"
                  data-measure={figure}
                  data-value={total?.figures[figure] ?? '0.00'}
                >
                  <Money amount={total?.figures[figure] ?? '0.00'} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
