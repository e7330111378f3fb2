import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_ROUTES as R, type SessionResponse, type SessionView } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { clearedSessionCookie, csrfTokenOf, sessionCookie } from '../console/session-cookie.js';
import { PrincipalService } from '../principal/principal.service.js';
import type { EdgeConfig } from '../edge.config.js';
import { EDGE_CONFIG } from '../tokens.js';

/**
 * Console sign-in and sign-out. The staff key arrives once, in the sign-in
 * body, and is exchanged for a session (kept by auth, see SessionsService)
 * whose token goes back only as an HttpOnly cookie: the console's script
 * never holds the key after sign-in, nor the token ever.
 */
@Controller()
export class SessionController {
  constructor(
    private readonly principals: PrincipalService,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
  ) {}

  @Serve(R.openSession)
  async open(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Checked() { body }: CheckedInput<typeof R.openSession>,
  ): Promise<SessionResponse> {
    const { token, session } = await this.principals.openSession(request, body.key);
    void reply
      .header('set-cookie', sessionCookie(token, new Date(session.expiresAt), this.secureCookie(request)))
      .header('cache-control', 'no-store');
    return this.toResponse(token, session);
  }

  @Serve(R.getSession)
  get(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): SessionResponse {
    const session = request.consoleSession;
    // A key in Authorization passed the guard, but it is no console session.
    if (!session) throw new DenialException(DenialReason.MissingAccessToken);
    void reply.header('cache-control', 'no-store');
    return this.toResponse(session.token, session.view);
  }

  @Serve(R.closeSession)
  async close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = request.consoleSession;
    if (!session) throw new DenialException(DenialReason.MissingAccessToken);
    const closed = await this.principals.closeSession(session.token);
    void reply.header('set-cookie', clearedSessionCookie(this.secureCookie(request)));
    return { object: 'console_session' as const, closed };
  }

  private toResponse(token: string, session: SessionView): SessionResponse {
    const { principal } = session;
    if (principal.role === 'user') throw new DenialException(DenialReason.InsufficientPermissions);
    return {
      object: 'console_session',
      user: { id: principal.userId, name: session.userName, email: session.email, role: principal.role },
      key: { id: principal.keyId, name: session.keyName, last6: principal.keySuffix },
      expires_at: session.expiresAt,
      csrf_token: csrfTokenOf(token),
      currency: this.config.CURRENCY,
    };
  }

  private secureCookie(request: FastifyRequest): boolean {
    const setting = this.config.CONSOLE_COOKIE_SECURE;
    return setting === 'always' || (setting === 'auto' && this.principals.cameOverTls(request));
  }
}
