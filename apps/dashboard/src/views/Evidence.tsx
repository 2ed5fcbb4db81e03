/**
 * Evidence as the applicant sent it: scalars as a list, item arrays as tables. Field names and
 * enumerated values are shown in the reader's language (i18n/terms.ts) with the field's code as a
 * tooltip; identifiers stay code, money strings are grouped but never go through a float, and free text
 * is isolated (bdi) so that a right-to-left override in it cannot flip the page.
 */
import type { ReactNode } from 'react';
import { FreeText, Ident } from '../components/common';
import { useI18n } from '../i18n/i18n';
import type { Lang } from '../i18n/errors';
import { fieldName, IDENTIFIER_FIELDS, MONEY_FIELDS, valueName } from '../i18n/terms';
import { formatMoney } from '../lib/money';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function EvidenceTable({
  evidence,
}: {
  readonly evidence: Readonly<Record<string, unknown>>;
}): ReactNode {
  const { t, lang } = useI18n();
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p className="muted">{t('common.none')}</p>;
  return (
    <dl className="facts" data-testid="evidence">
      {entries.map(([key, value]) => (
        <EvidenceEntry key={key} name={key} value={value as Json} lang={lang} />
      ))}
    </dl>
  );
}

function EvidenceEntry({
  name,
  value,
  lang,
}: {
  readonly name: string;
  readonly value: Json;
  readonly lang: Lang;
}): ReactNode {
  return (
    <>
      <dt title={name} data-field={name}>
        {fieldName(name, lang)}
      </dt>
      <dd>{renderValue(name, value, lang)}</dd>
    </>
  );
}

function renderValue(field: string, value: Json, lang: Lang): ReactNode {
  if (Array.isArray(value)) {
    if (
      value.length > 0 &&
      value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
    ) {
      const rows = value as { [key: string]: Json }[];
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      return (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th
                    key={column}
                    title={column}
                    className={MONEY_FIELDS.has(column) ? 'num' : undefined}
                  >
                    {fieldName(column, lang)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index}>
                  {columns.map((column) => (
                    <td key={column} className={MONEY_FIELDS.has(column) ? 'num' : undefined}>
                      {scalar(column, row[column] ?? null, lang)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return value.map((item, index) => (
      <span key={index}>
        {index > 0 ? '、' : null}
        {scalar(field, item, lang)}
      </span>
    ));
  }
  return scalar(field, value, lang);
}

function scalar(field: string, value: Json, lang: Lang): ReactNode {
  if (value === null) return '—';
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  if (typeof value !== 'string') return String(value);
  if (IDENTIFIER_FIELDS.has(field)) return <Ident>{value}</Ident>;
  if (MONEY_FIELDS.has(field))
    return (
      <span className="money" data-amount={value}>
        {formatMoney(value)}
      </span>
    );
  const named = valueName(value, lang);
  if (named) {
    return (
      <>
        {named} <code className="muted">{value}</code>
      </>
    );
  }
  return <FreeText>{value}</FreeText>;
}
