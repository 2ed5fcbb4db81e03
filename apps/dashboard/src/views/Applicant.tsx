/** An applicant: profile, caps per program and year (granted against cap), one-time awards, claims. */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import {
  findApplicants,
  getApplicant,
  getCaps,
  getOneTimeAwards,
  listAllClaims,
  type ApplicantMatch,
} from '../api/endpoints';
import type { CapRow, ClaimListItem } from '../api/endpoints';
import { can } from '../auth/session';
import { useSignedIn } from '../auth/SessionContext';
import { Chart } from '../components/Chart';
import { GroupBadge } from '../components/GroupBadge';
import {
  AsOfPicker,
  ErrorNotice,
  FreeText,
  Ident,
  Loaded,
  LoadedPanel,
  MoneyCell,
  MoneyCells,
  StatusBadge,
  useLoad,
  YearPicker,
  TableHead,
} from '../components/common';
import { useI18n, type Translate } from '../i18n/i18n';
import { minusMoney } from '../lib/money';
import { hrefFor, navigate } from '../lib/router';
import {
  currentYearBeijing,
  districtName,
  endOfDayBeijing,
  programClause,
  programName,
} from '../lib/reference';

const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const MATCHES_MAX = 50;

export function ApplicantView({ uscc }: { readonly uscc: string | null }): ReactNode {
  const { t } = useI18n();
  const session = useSignedIn();
  return (
    <section data-view="applicant" data-uscc={uscc ?? ''}>
      <h1>{t('applicant.title')}</h1>
      {can.searchApplicants(session) ? <ApplicantSearch initial={uscc ?? ''} /> : null}
      {uscc ? <ApplicantDetail key={uscc} uscc={uscc} /> : null}
    </section>
  );
}

function ApplicantSearch({ initial }: { readonly initial: string }): ReactNode {
  const { t, lang } = useI18n();
  const [text, setText] = useState(initial);
  const [matches, setMatches] = useState<readonly ApplicantMatch[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const query = text.trim();
    setMatches(null);
    setProblem(null);
    if (USCC.test(query.toUpperCase())) {
      navigate({ name: 'applicant', uscc: query.toUpperCase() });
      return;
    }
    if (query.length === 0) return;
    // Anything else is a part of a registered name: GET /applicants?name= (the applicants read model).
    setBusy(true);
    try {
      setMatches(await findApplicants({ name: query, limit: MATCHES_MAX }));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel">
      <form className="inline" onSubmit={(event) => void submit(event)}>
        <label className="control">
          {t('applicant.search')}
          <input
            data-testid="applicant-search"
            size={32}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="applicant-search-button" disabled={busy}>
          {t('applicant.searchButton')}
        </button>
      </form>
      {problem ? <ErrorNotice error={problem} /> : null}
      {matches ? (
        matches.length === 0 ? (
          <p className="muted">{t('applicant.notFound')}</p>
        ) : (
          <ul data-testid="applicant-matches">
            {matches.map((match) => (
              <li key={match.uscc} data-uscc={match.uscc}>
                <a href={hrefFor({ name: 'applicant', uscc: match.uscc })}>
                  <FreeText>{match.name}</FreeText> <code>{match.uscc}</code>
                </a>{' '}
                <span className="muted">{districtName(match.district, lang)}</span>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function ApplicantDetail({ uscc }: { readonly uscc: string }): ReactNode {
  const { t, lang } = useI18n();
  const [year, setYear] = useState(() => Math.min(2026, currentYearBeijing()));
  const [asOfDate, setAsOfDate] = useState('');
  const asOf = asOfDate ? endOfDayBeijing(asOfDate) : undefined;
  const profile = useLoad((signal) => getApplicant(uscc, signal), [uscc]);
  const caps = useLoad(
    (signal) => getCaps({ applicant: uscc, supportYear: year, asOf }, signal),
    [uscc, year, asOf],
  );
  const awards = useLoad((signal) => getOneTimeAwards({ applicant: uscc }, signal), [uscc]);
  const claims = useLoad((signal) => listAllClaims({ applicant: uscc }, signal), [uscc]);

  return (
    <>
      <section className="panel" data-testid="applicant-profile">
        <h2>{t('applicant.profile')}</h2>
        <Loaded result={profile.result} reload={profile.reload}>
          {(applicant) => (
            <dl className="facts">
              <dt>{t('applicant.uscc')}</dt>
              <dd>
                <code>{applicant.uscc}</code>
              </dd>
              <dt>{t('applicant.name')}</dt>
              <dd data-testid="applicant-name">
                <FreeText>{applicant.name}</FreeText>
              </dd>
              <dt>{t('applicant.district')}</dt>
              <dd>
                <a href={hrefFor({ name: 'district', code: applicant.district })}>
                  {districtName(applicant.district, lang)}
                </a>{' '}
                <GroupBadge district={applicant.district} />
              </dd>
              <dt>{t('applicant.integrity')}</dt>
              <dd>
                {applicant.integrityFlag ? (
                  <span className="badge status-rejected">
                    <FreeText>{applicant.integrityFlag.reason}</FreeText>
                  </span>
                ) : (
                  t('common.no')
                )}
              </dd>
            </dl>
          )}
        </Loaded>
      </section>
      <section className="panel">
        <div className="toolbar">
          <YearPicker year={year} onChange={setYear} />
          <AsOfPicker date={asOfDate} onChange={setAsOfDate} />
        </div>
        <Loaded result={caps.result} reload={caps.reload}>
          {(rows) => <CapBars rows={rows} title={t('applicant.caps', { year })} />}
        </Loaded>
      </section>
      <LoadedPanel title={t('applicant.oneTime')} load={awards}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">{t('common.none')}</p>
          ) : (
            <table className="data" data-testid="one-time-awards">
              <TableHead
                columns={[
                  t('program.label'),
                  t('program.clause'),
                  t('claim.id'),
                  { num: t('common.amount') },
                ]}
              />
              <tbody>
                {rows.map((award) => (
                  <tr key={`${award.programCode}:${award.claimId}`}>
                    <td>{programName(award.programCode, lang)}</td>
                    <td>{programClause(award.programCode)}</td>
                    <td>
                      <a href={hrefFor({ name: 'claim', claimId: award.claimId })}>
                        <Ident>{award.claimId}</Ident>
                      </a>
                    </td>
                    <MoneyCell amount={award.amount} />
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadedPanel>
      <LoadedPanel title={t('applicant.claims')} load={claims}>
        {(rows) => <ClaimTable rows={rows} testId="applicant-claims" />}
      </LoadedPanel>
    </>
  );
}

function capLabel(row: CapRow, lang: 'zh' | 'en', t: Translate): string {
  const name = programName(row.programCode, lang);
  const subject = row.subjectKey ? ` · ${row.subjectKey}` : '';
  const kind =
    row.kind === 'one-time' || row.kind === 'subject' || row.kind === 'applicant-total'
      ? lang === 'zh'
        ? `（${t(`cap.kind.${row.kind}`)}）`
        : ` (${t(`cap.kind.${row.kind}`)})`
      : '';
  return `${name}${subject}${kind}`;
}

/** Granted against cap: granted and room left stack up to the cap. */
function CapBars({
  rows,
  title,
}: {
  readonly rows: readonly CapRow[];
  readonly title: string;
}): ReactNode {
  const { t, lang } = useI18n();
  const categories = useMemo(() => rows.map((row) => capLabel(row, lang, t)), [rows, lang, t]);
  const series = useMemo(
    () => [
      { key: 'granted', label: t('applicant.granted'), values: rows.map((row) => row.granted) },
      {
        key: 'remaining',
        label: t('applicant.remaining'),
        values: rows.map(
          (row) => row.remaining ?? (row.cap ? minusMoney(row.cap, row.granted) : '0.00'),
        ),
      },
    ],
    [rows, t],
  );
  if (rows.length === 0) return <p className="muted">{t('common.none')}</p>;
  return (
    <>
      <Chart
        id="caps"
        title={title}
        categories={categories}
        categoryLabel={t('program.label')}
        series={series}
        horizontal
        height={Math.max(160, rows.length * 44 + 60)}
      />
      <table className="data" data-testid="caps-table">
        <TableHead
          columns={[
            t('program.label'),
            t('program.clause'),
            { num: t('applicant.granted') },
            { num: t('applicant.cap') },
            { num: t('applicant.remaining') },
            { num: t('applicant.paid') },
          ]}
        />
        <tbody>
          {rows.map((row) => (
            <tr
              key={
                row.capId ?? `${row.programCode}:${row.supportYear ?? ''}:${row.subjectKey ?? ''}`
              }
              data-testid="cap-row"
              data-cap-id={row.capId ?? ''}
              data-kind={row.kind ?? ''}
              data-program={row.programCode}
              data-subject={row.subjectKey ?? ''}
              data-granted={row.granted}
              data-cap={row.cap ?? ''}
            >
              <td>{capLabel(row, lang, t)}</td>
              <td>{programClause(row.programCode)}</td>
              <MoneyCells amounts={[row.granted, row.cap, row.remaining, row.paid]} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ClaimTable({
  rows,
  testId,
  action,
}: {
  readonly rows: readonly ClaimListItem[];
  readonly testId: string;
  readonly action?: (claim: ClaimListItem) => ReactNode;
}): ReactNode {
  const { t, lang } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('common.none')}</p>;
  return (
    <table className="data" data-testid={testId}>
      <TableHead
        columns={[
          t('claim.id'),
          t('claim.applicant'),
          t('claim.program'),
          t('claim.supportYear'),
          { num: t('claim.requested') },
          { num: t('claim.approved') },
          t('common.status'),
        ]}
        extra={action ? <th /> : null}
      />
      <tbody>
        {rows.map((claim) => (
          <tr key={claim.claimId} data-claim-id={claim.claimId}>
            <td>
              <a href={hrefFor({ name: 'claim', claimId: claim.claimId })}>
                <Ident>{claim.claimId}</Ident>
              </a>
            </td>
            <td>
              <Ident>{claim.applicant}</Ident>
            </td>
            <td>
              {programName(claim.programCode, lang)}{' '}
              <span className="muted">{programClause(claim.programCode)}</span>
            </td>
            <td>{claim.supportYear}</td>
            <MoneyCell amount={claim.requestedAmount} />
            <MoneyCell amount={claim.approvedAmount ?? null} />
            <td>
              <StatusBadge status={claim.status} />
            </td>
            {action ? <td>{action(claim)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
