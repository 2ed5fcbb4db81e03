import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { getCatalog } from './api/endpoints';
import { applyCatalog } from './lib/reference';
import { can, type Role, type Session } from './auth/session';
import { useSession } from './auth/SessionContext';
import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/dictionary';
import { hrefFor, navigate, useRoute, type Route } from './lib/router';
import { Ident } from './components/common';
import { SignInView } from './views/SignIn';

// Each view is its own chunk, fetched when first shown: the first paint needs only the shell and
// React, and ECharts comes with the first view that draws a chart (vite.config.mts).
const OverviewView = lazy(() =>
  import('./views/Overview').then((module) => ({ default: module.OverviewView })),
);
const DistrictView = lazy(() =>
  import('./views/District').then((module) => ({ default: module.DistrictView })),
);
const ApplicantView = lazy(() =>
  import('./views/Applicant').then((module) => ({ default: module.ApplicantView })),
);
const QueueView = lazy(() =>
  import('./views/Queue').then((module) => ({ default: module.QueueView })),
);
const ClaimView = lazy(() =>
  import('./views/Claim').then((module) => ({ default: module.ClaimView })),
);
const FinanceView = lazy(() =>
  import('./views/Finance').then((module) => ({ default: module.FinanceView })),
);
const ExportJobPanel = lazy(() =>
  import('./views/ExportJob').then((module) => ({ default: module.ExportJobPanel })),
);

interface NavItem {
  readonly route: Route;
  readonly label: MessageKey;
  readonly allowed: (session: Session) => boolean;
}

const NAV: readonly NavItem[] = [
  { route: { name: 'overview' }, label: 'nav.overview', allowed: can.readFiscal },
  { route: { name: 'district', code: null }, label: 'nav.district', allowed: can.readFiscal },
  { route: { name: 'applicant', uscc: null }, label: 'nav.applicant', allowed: () => true },
  { route: { name: 'queue' }, label: 'nav.queue', allowed: can.readQueue },
  { route: { name: 'finance', claimId: null }, label: 'nav.finance', allowed: can.disburse },
];

export function App(): ReactNode {
  const { session } = useSession();
  const route = useRoute();
  const { t } = useI18n();

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  useEffect(() => {
    if (!session && route.name !== 'signin') navigate({ name: 'signin' });
  }, [session, route.name]);

  if (!session || route.name === 'signin') {
    return (
      <Shell session={null} route={route}>
        <SignInView />
      </Shell>
    );
  }
  return (
    <Shell session={session} route={route}>
      <CatalogGate>
        <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
          <Page route={route} session={session} />
        </Suspense>
      </CatalogGate>
    </Shell>
  );
}

/**
 * Loads the policy catalog once per sign-in so that names, clauses and fiscal groups come from the API;
 * if it cannot be read, the built-in copy of docs/policy.md §3–4 is used and the pages still work.
 */
function CatalogGate({ children }: { readonly children: ReactNode }): ReactNode {
  const { t } = useI18n();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    getCatalog(controller.signal)
      .then((catalog) => {
        if (catalog) applyCatalog(catalog);
      })
      .catch(() => undefined)
      .finally(() => {
        if (!controller.signal.aborted) setReady(true);
      });
    return () => controller.abort();
  }, []);
  return ready ? <>{children}</> : <p className="loading">{t('common.loading')}</p>;
}

function Page({ route, session }: { readonly route: Route; readonly session: Session }): ReactNode {
  const { t } = useI18n();
  const denied = <p className="notice warn">{t('common.noPermission')}</p>;
  switch (route.name) {
    case 'signin':
      return null;
    case 'overview':
      return can.readFiscal(session) ? (
        <>
          <OverviewView />
          {can.export(session) ? <ExportJobPanel /> : null}
        </>
      ) : (
        denied
      );
    case 'district':
      return can.readFiscal(session) ? <DistrictView code={route.code} /> : denied;
    case 'applicant':
      return (
        <ApplicantView
          uscc={route.uscc ?? (can.searchApplicants(session) ? null : session.applicant)}
        />
      );
    case 'queue':
      return can.readQueue(session) ? <QueueView /> : denied;
    case 'claim':
      return <ClaimView key={route.claimId} claimId={route.claimId} />;
    case 'finance':
      return can.disburse(session) ? <FinanceView claimId={route.claimId} /> : denied;
  }
}

function Shell({
  session,
  route,
  children,
}: {
  readonly session: Session | null;
  readonly route: Route;
  readonly children: ReactNode;
}): ReactNode {
  const { t, lang, setLang } = useI18n();
  const { signOut } = useSession();
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="title">{t('app.title')}</span>
          <span className="subtitle">{t('app.subtitle')}</span>
        </div>
        {session ? (
          <nav aria-label="main">
            {NAV.filter((item) => item.allowed(session)).map((item) => (
              <a
                key={item.label}
                href={hrefFor(item.route)}
                className={sameSection(item.route, route) ? 'active' : undefined}
                data-testid={`nav-${item.route.name}`}
              >
                {t(item.label)}
              </a>
            ))}
          </nav>
        ) : null}
        <div className="user">
          <button
            type="button"
            className="link"
            data-testid="lang-switch"
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {t('lang.switch')}
          </button>
          {session ? (
            <>
              <span
                className="who"
                data-testid="who"
                title={`${t('user.roles')}: ${session.roles.join(', ')}`}
              >
                <Ident>{session.sub}</Ident> ·{' '}
                {session.roles.map((role: Role) => t(`role.${role}`)).join('、')}
              </span>
              <button
                type="button"
                className="link"
                data-testid="signout"
                onClick={() => {
                  signOut();
                  navigate({ name: 'signin' });
                }}
              >
                {t('nav.signout')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main>{children}</main>
    </div>
  );
}

function sameSection(item: Route, current: Route): boolean {
  if (item.name === 'queue' && current.name === 'claim') return true;
  return item.name === current.name;
}
