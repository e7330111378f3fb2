import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { SessionView } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { hasValidCsrfToken, isSafeMethod, sessionTokenOf } from '../console/session-cookie.js';
import { ADMIN_AREA } from './admin-principal.js';
import { PrincipalService } from './principal.service.js';
import { mayEnter, type AdminArea } from './roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session the request was made in (its cookie's), when it was. */
    consoleSession?: { token: string; view: SessionView };
  }
}

/**
 * Admin routes: authenticate the caller (same documented 401/403s as /v1),
 * then check its role against the route's area; otherwise 403
 * "Forbidden – insufficient permissions."
 *
 * The caller is a key in `Authorization` (or `x-api-key`), or else the
 * console's session cookie. A write made with the cookie must also carry the
 * session's CSRF token; the check comes first, before auth is asked, because a
 * forged write is refused whatever the session's state. A key sent in a
 * header is no ambient credential a browser would attach by itself, so it
 * needs no CSRF token.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly principals: PrincipalService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const area = this.reflector.getAllAndOverride<AdminArea | undefined>(ADMIN_AREA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = await this.callerOf(request);
    if (!area || !mayEnter(principal.role, area)) throw new DenialException(DenialReason.InsufficientPermissions);
    request.principal = principal;
    return true;
  }

  private async callerOf(request: FastifyRequest) {
    const sentKey = request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
    const token = sentKey ? null : sessionTokenOf(request);
    if (token === null) return this.principals.authenticate(request, null);
    if (!isSafeMethod(request.method) && !hasValidCsrfToken(request, token)) {
      throw new DenialException(DenialReason.CsrfTokenInvalid);
    }
    const view = await this.principals.resolveSession(request, token);
    request.consoleSession = { token, view };
    return view.principal;
  }
}
