import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DenialException, DenialReason } from '@tollgate/errors';
import { ADMIN_AREA } from './admin-principal.js';
import { PrincipalService } from './principal.service.js';
import { mayEnter, type AdminArea } from './roles.js';

/**
 * Admin routes: authenticate the key (same documented 401/403s as /v1), then
 * check the caller's role against the route's area; otherwise 403
 * "Forbidden – insufficient permissions."
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
    const principal = await this.principals.authenticate(request, null);
    if (!area || !mayEnter(principal.role, area)) throw new DenialException(DenialReason.InsufficientPermissions);
    request.principal = principal;
    return true;
  }
}
