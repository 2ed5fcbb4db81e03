import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { User, UserManager } from 'oidc-client-ts';
import { configureClient } from '../api/client';
import { clearSession, landingHash, loadSession, saveSession, type Session } from './session';
import {
  clearCallbackParameters,
  createUserManager,
  isSigninCallback,
  loadProviderConfig,
  sessionFromUser,
} from './oidc';

/** A provider session is renewed when its access token has less than this left (seconds). */
const RENEW_MARGIN_SECONDS = 5;

/**
 * The provider's answer (?code=…&state=…) is redeemed once per page load: the state is removed from storage
 * when it is used, so a second redemption fails with "No matching state found in storage". React runs an
 * effect twice in development (StrictMode), so the first redemption is shared, not repeated.
 */
let redeemedCallback: { readonly url: string; readonly user: Promise<User> } | null = null;
function redeemCallbackOnce(manager: UserManager): Promise<User> {
  const url = window.location.href;
  if (redeemedCallback?.url !== url) {
    redeemedCallback = { url, user: manager.signinRedirectCallback(url) };
  }
  return redeemedCallback.user;
}

export interface ProviderSignIn {
  /** The API names an identity provider: the dashboard offers "登录" through it. */
  readonly available: boolean;
  /** Reading the configuration, or finishing a sign-in the provider sent back. */
  readonly busy: boolean;
  /** Why the last sign-in through the provider did not complete. */
  readonly error: string | null;
  readonly start: () => void;
}

interface SessionState {
  readonly session: Session | null;
  /** Set when the API answered 401, or a renewal was refused: the sign-in page says the session ended. */
  readonly expired: boolean;
  readonly provider: ProviderSignIn;
  /** The developer path: a pasted token. */
  readonly signIn: (session: Session) => void;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [session, setSessionState] = useState<Session | null>(loadSession);
  const [expired, setExpired] = useState(false);
  const [manager, setManager] = useState<UserManager | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Read at request time by the API client, which lives outside React.
  const sessionRef = useRef<Session | null>(session);
  const renewal = useRef<Promise<Session | null> | null>(null);
  // The page asked for before App sends a signed-out tab to #/signin (a reload resumes there).
  const requestedHash = useRef(window.location.hash);

  const setSession = useCallback((next: Session | null) => {
    sessionRef.current = next;
    setSessionState(next);
  }, []);

  const endSession = useCallback(
    (becauseExpired: boolean) => {
      clearSession();
      void manager?.removeUser();
      if (becauseExpired) setExpired(true);
      setSession(null);
    },
    [manager, setSession],
  );

  // Which provider, and finishing a sign-in it sent back (?code=…&state=…) or resuming this tab's session.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let created: UserManager | null = null;
      try {
        const config = await loadProviderConfig();
        created = config ? createUserManager(config) : null;
        if (created) {
          const callback = isSigninCallback();
          let user = callback ? await redeemCallbackOnce(created) : await created.getUser();
          if (callback) clearCallbackParameters();
          if (user?.expired && user.refresh_token)
            user = await created.signinSilent().catch(() => null);
          if (user && !user.expired) {
            const next = await sessionFromUser(user);
            if (cancelled) return;
            setExpired(false);
            setSession(next);
            const requested = requestedHash.current;
            window.location.hash =
              !callback && requested && !requested.startsWith('#/signin')
                ? requested
                : landingHash(next);
          }
        } else if (isSigninCallback()) {
          clearCallbackParameters();
        }
      } catch (problem) {
        clearCallbackParameters();
        void created?.removeUser();
        if (!cancelled) setError(problem instanceof Error ? problem.message : String(problem));
      } finally {
        if (!cancelled) {
          setManager(created);
          setBusy(false);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [setSession]);

  /** One renewal at a time, through the refresh token; null when the provider refuses (its session ended). */
  const renew = useCallback(async (): Promise<Session | null> => {
    const current = sessionRef.current;
    if (!manager || !current) return null;
    // Concurrent callers share one refresh: the provider rotates refresh tokens and treats a reused one as theft.
    renewal.current ??= manager
      .signinSilent()
      .then((user) => {
        if (!user) return null;
        const next = { ...current, token: user.access_token, expiresAt: user.expires_at ?? null };
        setSession(next);
        return next;
      })
      .catch(() => null)
      .finally(() => {
        renewal.current = null;
      });
    return renewal.current;
  }, [manager, setSession]);

  const signIn = useCallback(
    (next: Session) => {
      saveSession(next);
      setExpired(false);
      setSession(next);
    },
    [setSession],
  );

  const signOut = useCallback(() => {
    const current = sessionRef.current;
    clearSession();
    setSession(null);
    // A provider session ends at the provider too (RP-initiated logout), which comes back to this page.
    if (current?.provider && manager)
      void manager.signoutRedirect().catch(() => manager.removeUser());
  }, [manager, setSession]);

  const start = useCallback(() => {
    if (!manager) return;
    setError(null);
    setBusy(true);
    manager.signinRedirect().catch((problem: unknown) => {
      setBusy(false);
      setError(problem instanceof Error ? problem.message : String(problem));
    });
  }, [manager]);

  configureClient({
    token: async () => {
      const current = sessionRef.current;
      if (!current) return null;
      if (
        !current.provider ||
        current.expiresAt === null ||
        current.expiresAt - Date.now() / 1000 > RENEW_MARGIN_SECONDS
      )
        return current.token;
      const renewed = await renew();
      if (!renewed) endSession(true);
      return renewed?.token ?? null;
    },
    onUnauthorized: () => endSession(true),
  });

  const provider = useMemo<ProviderSignIn>(
    () => ({ available: manager !== null, busy, error, start }),
    [manager, busy, error, start],
  );
  const value = useMemo(
    () => ({ session, expired, provider, signIn, signOut }),
    [session, expired, provider, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For pages behind sign-in: the session is there (App does not render them otherwise). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
