import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { setCsrfToken, whenSessionEnds } from '../api/client';
import { sessionApi, type ConsoleSession } from '../api/session.api';

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; notice: ApiError | null }
  | { status: 'signed-in'; session: ConsoleSession };

interface SessionControls {
  state: SessionState;
  /** Exchanges a staff key for the session cookie; rejects with the documented refusal. */
  signIn: (key: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionControls | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const queries = useQueryClient();

  const signedIn = useCallback((session: ConsoleSession) => {
    setCsrfToken(session.csrf_token);
    setState({ status: 'signed-in', session });
  }, []);
  const signedOut = useCallback(
    (notice: ApiError | null) => {
      setCsrfToken(null);
      // What one staff member loaded must not show to the next one signing in on this tab.
      queries.clear();
      setState({ status: 'signed-out', notice });
    },
    [queries],
  );

  // On load: the cookie (if any) says whether we are signed in, and the answer brings the CSRF token again.
  useEffect(() => {
    let current = true;
    sessionApi.current().then(
      (session) => current && signedIn(session),
      (error: unknown) => {
        if (!current) return;
        // 401 is simply "not signed in"; anything else is worth showing on the sign-in page.
        signedOut(error instanceof ApiError && error.status !== 401 ? error : null);
      },
    );
    return () => {
      current = false;
    };
  }, [signedIn, signedOut]);

  useEffect(() => {
    whenSessionEnds((error) => signedOut(error));
    return () => whenSessionEnds(null);
  }, [signedOut]);

  const controls = useMemo<SessionControls>(
    () => ({
      state,
      async signIn(key) {
        signedIn(await sessionApi.signIn(key));
      },
      async signOut() {
        try {
          await sessionApi.signOut();
        } catch (error) {
          // An expired session is signed out already; any other failure leaves the cookie in place, so say so.
          if (!(error instanceof ApiError && error.status === 401)) throw error;
        }
        signedOut(null);
      },
    }),
    [state, signedIn, signedOut],
  );
  return <SessionContext.Provider value={controls}>{children}</SessionContext.Provider>;
}

export function useSessionControls(): SessionControls {
  const controls = useContext(SessionContext);
  if (!controls) throw new Error('useSessionControls outside <SessionProvider>');
  return controls;
}

/** The signed-in session; only for components rendered inside the signed-in layout. */
export function useSession(): ConsoleSession {
  const { state } = useSessionControls();
  if (state.status !== 'signed-in') throw new Error('useSession while not signed in');
  return state.session;
}
