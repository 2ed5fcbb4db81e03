/**
 * A bar chart with its numbers next to it. The ECharts canvas is for the eye; the table under it (and
 * the `data-chart` attribute) holds the same figures as the API's strings, for screen readers, for
 * copying and for the browser tests. Heights are numbers for ECharts only; labels use the strings.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { echarts, type ECharts } from './echarts';
import { formatMoney, sumMoney, toChartNumber } from '../lib/money';
import { useI18n } from '../i18n/i18n';

export interface ChartSeries {
  /** Stable key (e.g. 'city', 'district:xiaoshan', '二(三)'). */
  readonly key: string;
  readonly label: string;
  /** One amount string per category. */
  readonly values: readonly string[];
}

export interface ChartProps {
  readonly id: string;
  readonly title: string;
  readonly categories: readonly string[];
  readonly categoryLabel: string;
  readonly series: readonly ChartSeries[];
  readonly stacked?: boolean;
  readonly horizontal?: boolean;
  readonly height?: number;
  /**
   * What is drawn, when it differs from `series` (e.g. 15 treasuries drawn as the city, the top
   * districts and "other districts"); the data table and `data-chart` always hold `series` in full.
   */
  readonly drawn?: readonly ChartSeries[];
  /** Called once ECharts has finished drawing the current data, or at once while the chart is off screen. */
  readonly onRendered?: (id: string) => void;
}

const PALETTE = [
  '#1f5fa8',
  '#d9822b',
  '#2e9e6a',
  '#b0413e',
  '#7b5ea7',
  '#4aa3c3',
  '#c9a227',
  '#6b7a8f',
  '#e377c2',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#843c39',
];

export function Chart(props: ChartProps): ReactNode {
  const {
    id,
    title,
    categories,
    categoryLabel,
    series,
    drawn = series,
    stacked = true,
    horizontal = false,
    height = 300,
    onRendered,
  } = props;
  const { t, lang } = useI18n();
  const element = useRef<HTMLDivElement | null>(null);
  const chart = useRef<ECharts | null>(null);
  const rendered = useRef(onRendered);
  rendered.current = onRendered;
  // A chart is drawn once it comes near the screen: on a phone only the first of the overview's four
  // is in view, and drawing the others on load would block the main thread for nothing.
  const [visibility, setVisibility] = useState<'unknown' | 'off' | 'on'>('unknown');
  const inView = visibility === 'on';
  const [instance, setInstance] = useState<ECharts | null>(null);

  useEffect(() => {
    const target = element.current;
    if (!target) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setVisibility('on');
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setVisibility('on');
          observer.disconnect();
        } else {
          setVisibility('off');
        }
      },
      { rootMargin: '120px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, []);

  // Off screen: nothing to wait for until it scrolls into view (the data table is there already).
  useEffect(() => {
    if (visibility === 'off') rendered.current?.(id);
  }, [visibility, id, categories, drawn]);

  useEffect(() => {
    if (!inView || !element.current) return undefined;
    const created = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = created;
    setInstance(created);
    const observer = new ResizeObserver(() => created.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      created.dispose();
      chart.current = null;
    };
  }, [inView]);

  useEffect(() => {
    if (!instance) return;
    const categoryAxis = { type: 'category' as const, data: [...categories] };
    const valueAxis = {
      type: 'value' as const,
      axisLabel: { formatter: (value: number) => compactYuan(value, lang) },
    };
    instance.setOption(
      {
        color: PALETTE,
        animation: false,
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          // The tooltip shows the API's own strings, never a float printed back.
          formatter: (params: unknown) => tooltipHtml(params, drawn),
          confine: true,
        },
        legend: { type: 'plain', top: 0, left: 0, itemGap: 8, itemWidth: 14, itemHeight: 10 },
        grid: {
          left: 8,
          right: 16,
          top: legendRows(drawn.length) * 22 + 14,
          bottom: 8,
          containLabel: true,
        },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? categoryAxis : valueAxis,
        series: drawn.map((entry) => ({
          type: 'bar',
          name: entry.label,
          stack: stacked ? 'total' : undefined,
          barMaxWidth: 36,
          data: entry.values.map((value) => toChartNumber(value)),
        })),
      },
      { notMerge: true },
    );
    // Without animation ECharts draws within setOption (or on the next frame): report after that frame.
    let frame: number | null = requestAnimationFrame(() => {
      frame = null;
      rendered.current?.(id);
    });
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [instance, id, categories, drawn, stacked, horizontal, lang]);

  const dataAttribute = useMemo(
    () =>
      JSON.stringify({
        categories,
        series: series.map((entry) => ({
          key: entry.key,
          label: entry.label,
          values: entry.values,
        })),
      }),
    [categories, series],
  );

  return (
    <figure
      className="chart"
      data-testid={`chart-${id}`}
      data-chart={dataAttribute}
      data-series-drawn={drawn.length}
    >
      <figcaption>{title}</figcaption>
      <div
        ref={element}
        className="chart-canvas"
        style={{ height: height + legendRows(drawn.length) * 22 - 22 }}
        role="img"
        aria-label={title}
        data-drawn={instance ? 'true' : 'false'}
      />
      <details className="chart-data">
        <summary>{t('common.dataTable')}</summary>
        <ChartTable
          id={id}
          categories={categories}
          categoryLabel={categoryLabel}
          series={series}
          stacked={stacked}
        />
      </details>
    </figure>
  );
}

function ChartTable(props: {
  id: string;
  categories: readonly string[];
  categoryLabel: string;
  series: readonly ChartSeries[];
  stacked: boolean;
}): ReactNode {
  const { id, categories, categoryLabel, series, stacked } = props;
  const { t } = useI18n();
  return (
    <table className="data" data-testid={`chart-table-${id}`}>
      <thead>
        <tr>
          <th scope="col">{categoryLabel}</th>
          {series.map((entry) => (
            <th scope="col" key={entry.key}>
              {entry.label}
            </th>
          ))}
          {stacked && series.length > 1 ? <th scope="col">{t('common.total')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {categories.map((category, index) => (
          <tr key={`${index}:${category}`}>
            <th scope="row">{category}</th>
            {series.map((entry) => (
              <td
                className="num"
                key={entry.key}
                data-series={entry.key}
                data-category={category}
                data-value={entry.values[index] ?? '0.00'}
              >
                {formatMoney(entry.values[index] ?? '0.00')}
              </td>
            ))}
            {stacked && series.length > 1 ? (
              <td className="num">
                {formatMoney(sumMoney(series.map((entry) => entry.values[index])))}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function tooltipHtml(params: unknown, series: readonly ChartSeries[]): string {
  const items = Array.isArray(params)
    ? (params as Array<{ seriesIndex: number; dataIndex: number; name: string; marker: string }>)
    : [];
  const first = items[0];
  if (!first) return '';
  const lines = items.map((item) => {
    const entry = series[item.seriesIndex];
    return `${item.marker}${escapeHtml(entry?.label ?? '')}: ${formatMoney(entry?.values[item.dataIndex] ?? '0.00')}`;
  });
  return [escapeHtml(first.name), ...lines].join('<br/>');
}

/** Legend rows to leave room for (about three entries a row on a phone). */
function legendRows(entries: number): number {
  return entries <= 1 ? 1 : Math.ceil(entries / 3);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Axis ticks only (not money display): 1,500,000 → "150万" or "1.5M". */
function compactYuan(value: number, lang: 'zh' | 'en'): string {
  if (lang === 'zh')
    return Math.abs(value) >= 10_000 ? `${Math.round(value / 1000) / 10}万` : String(value);
  if (Math.abs(value) >= 1_000_000) return `${Math.round(value / 100_000) / 10}M`;
  return Math.abs(value) >= 1_000 ? `${Math.round(value / 100) / 10}k` : String(value);
}
