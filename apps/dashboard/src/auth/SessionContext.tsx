import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { configureClient } from '../api/client';
import { clearSession, loadSession, saveSession, type Session } from './session';

interface SessionState {
  readonly session: Session | null;
  /** Set when the API answered 401: the sign-in page says the session ended. */
  readonly expired: boolean;
  readonly signIn: (session: Session) => void;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [expired, setExpired] = useState(false);
  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setExpired(false);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);
  // The client reads the token at request time, so a sign-out takes effect on the next request.
  configureClient({
    token: () => session?.token ?? null,
    onUnauthorized: () => {
      clearSession();
      setExpired(true);
      setSession(null);
    },
  });
  const value = useMemo(() => ({ session, expired, signIn, signOut }), [session, expired, signIn, signOut]);
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
