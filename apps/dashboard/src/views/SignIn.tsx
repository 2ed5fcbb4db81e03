import { useState, type FormEvent, type ReactNode } from 'react';
import { decodeToken } from '../auth/session';
import { useSession } from '../auth/SessionContext';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';

export function SignInView(): ReactNode {
  const { t } = useI18n();
  const { signIn, expired } = useSession();
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
    <section className="signin" data-view="signin">
      <h1>{t('signin.title')}</h1>
      {expired ? <p className="notice warn">{t('signin.expired')}</p> : null}
      <form onSubmit={submit}>
        <label htmlFor="token">{t('signin.label')}</label>
        <textarea id="token" data-testid="token-input" rows={6} spellCheck={false} autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
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
    </section>
  );
}
