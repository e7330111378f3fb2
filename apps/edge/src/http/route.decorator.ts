import {
  applyDecorators,
  createParamDecorator,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Patch,
  Post,
  Put,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Static, TSchema } from '@tollgate/typebox';
import { Value } from '@tollgate/typebox';
import type { FastifyRequest } from 'fastify';
import { validatorFor, type RouteDeclaration } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { AdminArea } from '../principal/admin-principal.js';
import { AdminGuard } from '../principal/admin.guard.js';

const ROUTE_DECLARATION = 'tollgate:route';

const METHODS = { get: Get, post: Post, put: Put, patch: Patch, delete: Delete } as const;

/**
 * Serves a handler as its declaration in `@tollgate/contracts` says: method,
 * path, success status, for staff routes the role check, and the checks of
 * its path, query and body. The OpenAPI document is made from the same
 * declaration, so the two cannot drift apart.
 *
 * Routes any key may call (the /v1 surface) authenticate inside the handler,
 * so their inputs are checked there, after authentication (`checkInput`):
 * the documented precedence puts 401 and 403 before any 400.
 */
export function Serve(route: RouteDeclaration): MethodDecorator {
  const path = route.path.replace(/\{(\w+)\}/g, ':$1');
  const decorators = [
    METHODS[route.method](path),
    HttpCode(route.success.status),
    SetMetadata(ROUTE_DECLARATION, route),
  ];
  if (route.access === 'billing' || route.access === 'admin') {
    decorators.push(AdminArea(route.access), UseGuards(AdminGuard, InputGuard));
  } else if (route.access === 'public') {
    decorators.push(UseGuards(InputGuard));
  }
  return applyDecorators(...decorators);
}

type StaticOf<S> = S extends TSchema ? Static<S> : undefined;

/** A route's path parameters, query and body, each checked against its declaration. */
export interface CheckedInput<R extends RouteDeclaration> {
  params: StaticOf<R['params']>;
  query: StaticOf<R['query']>;
  body: StaticOf<R['body']>;
}

declare module 'fastify' {
  interface FastifyRequest {
    checkedInput?: CheckedInput<RouteDeclaration>;
  }
}

function check(schema: TSchema | undefined, value: unknown, denial: DenialReason = DenialReason.InvalidRequest) {
  if (!schema) return undefined;
  const result = validatorFor(schema).check(value);
  if (result.ok) return result.value;
  throw new DenialException(denial, denial === DenialReason.InvalidRequest ? result.problem : undefined);
}

/**
 * Path parameters and query strings are text; the declaration says which are
 * numbers or booleans, and TypeBox converts those ("50" → 50) before checking.
 * A field given twice (`?limit=1&limit=2`) stays a list and is refused.
 */
const fromText = (schema: TSchema | undefined, value: unknown) =>
  schema ? Value.Convert(schema, { ...(value as object) }) : value;

/**
 * Checks a request's inputs against its route's declaration; a DenialException
 * (400 naming the field, or the route's own denial for a malformed path
 * parameter) when one is wrong. A route that takes a body and got none is
 * checked as `{}`, so its required fields are named.
 */
export function checkInput<R extends RouteDeclaration>(route: R, request: FastifyRequest): CheckedInput<R> {
  return {
    params: check(route.params, fromText(route.params, request.params), route.invalidParams),
    query: check(route.query, fromText(route.query, request.query)),
    body: check(route.body, request.body === undefined ? {} : request.body),
  } as CheckedInput<R>;
}

const routeOf = (context: ExecutionContext): RouteDeclaration => {
  const route = Reflect.getMetadata(ROUTE_DECLARATION, context.getHandler()) as RouteDeclaration | undefined;
  if (!route) throw new Error('a route input was asked of a handler without @Serve()');
  return route;
};

/** Checks the inputs of every staff and public route, after AdminGuard has checked the caller. */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.checkedInput = checkInput(routeOf(context), request);
    return true;
  }
}

/** The checked inputs of a staff or public handler served with `@Serve`. */
export const Checked = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const checked = context.switchToHttp().getRequest<FastifyRequest>().checkedInput;
  if (!checked) throw new Error(`@Checked() on ${routeOf(context).operationId}, whose inputs no guard checked`);
  return checked;
});
