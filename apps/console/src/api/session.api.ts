import type { Role } from '@tollgate/contracts';
import { api } from './client';

/** The edge's answer to POST and GET /admin/v1/session: who is signed in, until when, and the CSRF token. */
export interface ConsoleSession {
  object: 'console_session';
  user: { id: string; name: string; email: string | null; role: Role };
  key: { id: string; name: string };
  expires_at: string;
  csrf_token: string;
  /** The currency every amount of this gateway is in. */
  currency: string;
}

export const sessionApi = {
  /** The staff key goes to the edge once, in this body; the browser keeps only the HttpOnly cookie it answers with. */
  signIn: (key: string) => api.post<ConsoleSession>('/session', { key }),
  current: () => api.get<ConsoleSession>('/session'),
  signOut: () => api.delete('/session'),
};
