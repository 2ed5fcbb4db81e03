import { useState, type FormEvent, type ReactNode } from 'react';
import { decodeToken } from '../auth/session';
import { useSession } from '../auth/SessionContext';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';

/**
 * "登录" through the identity provider the API names. Pasting a token is the developer fallback: the
 * only way in when no provider is configured (scripts, the test suites), folded away when one is.
 */
export function SignInView(): ReactNode {
  const { t } = useI18n();
  const { expired, provider } = useSession();
  return (
    <section className="signin" data-view="signin" data-ready={provider.busy ? 'false' : 'true'}>
      <h1>{t('signin.title')}</h1>
      {expired ? (
        <p className="notice warn" data-testid="signin-expired">
          {t('signin.expired')}
        </p>
      ) : null}
      {provider.busy ? <p className="loading">{t('signin.oidc.busy')}</p> : null}
      {!provider.busy && provider.available ? (
        <>
          <p>{t('signin.oidc.lead')}</p>
          {provider.error ? (
            <p className="notice error" role="alert" data-testid="oidc-error">
              {t('signin.oidc.failed', { reason: provider.error })}
            </p>
          ) : null}
          <button type="button" data-testid="oidc-signin" onClick={provider.start}>
            {t('signin.oidc.button')}
          </button>
          <details className="dev-token" data-testid="dev-token">
            <summary>{t('signin.dev.summary')}</summary>
            <TokenForm />
          </details>
        </>
      ) : null}
      {!provider.busy && !provider.available ? <TokenForm /> : null}
    </section>
  );
}

function TokenForm(): ReactNode {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<'malformed' | 'expired' | 'no-roles' | null>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const result = decodeToken(token, Math.floor(Date.now() / 1000));
    if (!result.ok) {
      setProblem(result.reason);
      return;
    }
    signIn(result.session);
    const { session } = result;
    const staff = session.roles.some((role) => role !== 'applicant');
    navigate(staff ? { name: 'overview' } : { name: 'applicant', uscc: session.applicant });
  };

  return (
    <>
      <form onSubmit={submit}>
        <label htmlFor="token">{t('signin.label')}</label>
        <textarea
          id="token"
          data-testid="token-input"
          rows={6}
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        {problem ? (
          <p className="notice error" role="alert">
            {t(`signin.error.${problem}`)}
          </p>
        ) : null}
        <button type="submit" data-testid="signin-button" disabled={token.trim().length === 0}>
          {t('signin.button')}
        </button>
      </form>
      <p className="muted">
        {t('signin.help')} <code>npm run ledger -- token --sub alice --role reviewer</code>
      </p>
      <p className="muted">{t('signin.note')}</p>
    </>
  );
}
