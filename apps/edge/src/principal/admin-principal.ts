import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@tollgate/contracts';
import type { AdminArea as Area } from './roles.js';

export const ADMIN_AREA = 'tollgate:admin-area';

/** Marks a controller or route as part of an admin area; AdminGuard enforces it. */
export const AdminArea = (area: Area) => SetMetadata(ADMIN_AREA, area);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The authenticated caller of an admin route, set by AdminGuard. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('Caller used on a route without AdminGuard');
  return principal;
});
