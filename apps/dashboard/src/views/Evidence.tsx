/** Evidence as the applicant sent it: scalars as a list, item arrays as tables. Money strings stay strings. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function EvidenceTable({ evidence }: { readonly evidence: Readonly<Record<string, unknown>> }): ReactNode {
  const { t } = useI18n();
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p className="muted">{t('common.none')}</p>;
  return (
    <dl className="facts" data-testid="evidence">
      {entries.map(([key, value]) => (
        <EvidenceEntry key={key} name={key} value={value as Json} />
      ))}
    </dl>
  );
}

function EvidenceEntry({ name, value }: { readonly name: string; readonly value: Json }): ReactNode {
  return (
    <>
      <dt>
        <code>{name}</code>
      </dt>
      <dd>{renderValue(value)}</dd>
    </>
  );
}

function renderValue(value: Json): ReactNode {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      const rows = value as { [key: string]: Json }[];
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      return (
        <table className="data">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column}>{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {columns.map((column) => (
                  <td key={column}>{scalar(row[column] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    return value.map((item) => scalar(item)).join('、');
  }
  if (typeof value === 'object' && value !== null) {
    return <code>{JSON.stringify(value)}</code>;
  }
  return scalar(value);
}

function scalar(value: Json): string {
  if (value === null) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
