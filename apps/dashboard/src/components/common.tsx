import { startTransition, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, NetworkError } from '../api/client';
import { sentenceFor } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { formatMoney } from '../lib/money';
import { SUPPORT_YEARS } from '../lib/reference';

export type Loadable<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: unknown }
  | { readonly state: 'ready'; readonly data: T };

/**
 * Loads data for a view and reloads when `deps` change; a newer load aborts the older one, so a
 * quick change of the asOf picker never shows stale figures.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): { result: Loadable<T>; reload: () => void } {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    // The page built from the data is rendered as a transition: React renders it in slices and yields
    // to the browser between them, so a big table does not block input for a second on a slow phone.
    loader.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) startTransition(() => setResult({ state: 'ready', data }));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) startTransition(() => setResult({ state: 'error', error }));
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { result, reload };
}

/**
 * An identifier (user id, claim id, reference): never translated, shown as code, and isolated so that
 * right-to-left characters in it cannot reorder the text around it (issue 11 item 8).
 */
export function Ident({ children }: { readonly children: ReactNode }): ReactNode {
  return (
    <bdi className="ident" translate="no">
      {children}
    </bdi>
  );
}

/** Text a person typed (a name, a reason): shown as written, isolated from the page's own direction. */
export function FreeText({ children }: { readonly children: ReactNode }): ReactNode {
  return <bdi className="free-text">{children}</bdi>;
}

export function Money({ amount }: { readonly amount: string | null | undefined }): ReactNode {
  return (
    <span className="money" data-amount={amount ?? ''}>
      {formatMoney(amount)}
    </span>
  );
}

/** A table cell holding an amount, right-aligned like every figure column. */
export function MoneyCell({ amount }: { readonly amount: string | null | undefined }): ReactNode {
  return (
    <td className="num">
      <Money amount={amount} />
    </td>
  );
}

/** Several amount cells in a row. */
export function MoneyCells({
  amounts,
}: {
  readonly amounts: ReadonlyArray<string | null | undefined>;
}): ReactNode {
  return amounts.map((amount, index) => <MoneyCell key={index} amount={amount} />);
}

/** A header column: a label, or `{ num: label }` for a right-aligned figure column. */
export type Column = ReactNode | { readonly num: ReactNode };

/** A table's header row; `extra` is appended as is (an optional action column). */
export function TableHead({
  columns,
  extra,
}: {
  readonly columns: readonly Column[];
  readonly extra?: ReactNode;
}): ReactNode {
  return (
    <thead>
      <tr>
        {columns.map((column, index) =>
          typeof column === 'object' && column !== null && 'num' in column ? (
            <th key={index} className="num">
              {column.num}
            </th>
          ) : (
            <th key={index}>{column}</th>
          ),
        )}
        {extra}
      </tr>
    </thead>
  );
}

/** A refusal in plain words, with the stable code beside it (and the server's own message). */
export function ErrorNotice({
  error,
  onRetry,
}: {
  readonly error: unknown;
  readonly onRetry?: () => void;
}): ReactNode {
  const { t, lang } = useI18n();
  let sentence: string;
  let code: string | null = null;
  let serverMessage: string | null = null;
  if (error instanceof ApiError) {
    code = error.code;
    sentence =
      sentenceFor(error.code, error.status, lang) ?? t('error.generic', { status: error.status });
    serverMessage = error.message || null;
  } else if (error instanceof NetworkError) {
    sentence = t('error.network');
  } else {
    sentence = error instanceof Error ? error.message : String(error);
  }
  return (
    <div
      className="notice error"
      role="alert"
      data-testid="error-notice"
      data-error-code={code ?? ''}
    >
      <strong>{t('error.title')}</strong>
      <p className="sentence">{sentence}</p>
      {code ? (
        <p className="code">
          {t('common.code')}: <code>{code}</code>
          {error instanceof ApiError ? (
            <>
              {' '}
              <code className="status">HTTP {error.status}</code>
            </>
          ) : null}
        </p>
      ) : null}
      {error instanceof ApiError && Array.isArray(error.details) && error.details.length > 0 ? (
        <ul className="problems">
          {(error.details as unknown[]).slice(0, 20).map((problem, index) => (
            <li key={index}>
              <code lang="en">{describeProblem(problem)}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {serverMessage ? (
        // The server writes its own message in English, for support; the sentence above is the user's.
        <details className="server-message">
          <summary>{t('error.serverSaid')}</summary>
          <code lang="en">{serverMessage}</code>
        </details>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Renders loading and error states, and the children once the data is there. */
export function Loaded<T>({
  result,
  reload,
  children,
}: {
  readonly result: Loadable<T>;
  readonly reload?: () => void;
  readonly children: (data: T) => ReactNode;
}): ReactNode {
  const { t } = useI18n();
  if (result.state === 'loading')
    return (
      <p className="loading" aria-busy="true">
        {t('common.loading')}
      </p>
    );
  if (result.state === 'error') return <ErrorNotice error={result.error} onRetry={reload} />;
  return <>{children(result.data)}</>;
}

/** A panel with a heading over something loaded (loading, error with retry, or the data). */
export function LoadedPanel<T>({
  title,
  load,
  children,
}: {
  readonly title: string;
  readonly load: { readonly result: Loadable<T>; readonly reload?: () => void };
  readonly children: (data: T) => ReactNode;
}): ReactNode {
  return (
    <section className="panel">
      <h2>{title}</h2>
      <Loaded result={load.result} reload={load.reload}>
        {children}
      </Loaded>
    </section>
  );
}

/** One term of a description list (dl): its label and its value. */
export function Fact({
  label,
  children,
}: {
  readonly label: ReactNode;
  readonly children: ReactNode;
}): ReactNode {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** A labelled drop-down of a toolbar: one option per choice, in order. */
export function Picker({
  label,
  testId,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly testId: string;
  readonly value: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string) => void;
}): ReactNode {
  return (
    <label className="control">
      {label}
      <select data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function YearPicker({
  year,
  onChange,
  years = SUPPORT_YEARS,
}: {
  readonly year: number;
  readonly onChange: (year: number) => void;
  readonly years?: readonly number[];
}): ReactNode {
  const { t } = useI18n();
  return (
    <Picker
      label={t('common.year')}
      testId="year-picker"
      value={String(year)}
      options={years.map((value) => ({ value: String(value), label: String(value) }))}
      onChange={(value) => onChange(Number(value))}
    />
  );
}

export function DateInput({
  testId,
  value,
  onChange,
}: {
  readonly testId: string;
  readonly value: string;
  readonly onChange: (date: string) => void;
}): ReactNode {
  return (
    <input
      type="date"
      data-testid={testId}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

export function AsOfPicker({
  date,
  onChange,
}: {
  readonly date: string;
  readonly onChange: (date: string) => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <label className="control" title={t('common.asOf.hint')}>
      {t('common.asOf')}
      <DateInput testId="asof-picker" value={date} onChange={onChange} />
      {date ? (
        <button type="button" className="link" onClick={() => onChange('')}>
          {t('common.asOf.clear')}
        </button>
      ) : (
        <span className="muted">{t('common.asOf.now')}</span>
      )}
    </label>
  );
}

export function StatusBadge({ status }: { readonly status: string }): ReactNode {
  const { t } = useI18n();
  const key = `status.${status}` as const;
  const known = [
    'submitted',
    'pending_countersign',
    'approved',
    'rejected',
    'withdrawn',
    'revoked',
  ].includes(status);
  return (
    <span className={`badge status-${status}`} data-status={status}>
      {known ? t(key as Parameters<typeof t>[0]) : status}
    </span>
  );
}

function describeProblem(problem: unknown): string {
  if (typeof problem !== 'object' || problem === null) return String(problem);
  const { path, message, code } = problem as { path?: unknown; message?: unknown; code?: unknown };
  return [path, message ?? code]
    .filter((part) => typeof part === 'string' && part.length > 0)
    .join(': ');
}
