import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { HTTP_CODE_METADATA, METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { DOCUMENTED_ERRORS } from '@tollgate/errors';
import { denialsOf, type RouteDeclaration } from '@tollgate/contracts';
import { EdgeModule } from '../edge.module.js';
import { EDGE_OPENAPI, EDGE_ROUTES } from './openapi.document.js';

type Handler = { name: string; path: string; method: string; status: number | undefined; route?: RouteDeclaration };

/** Every handler Nest serves in the edge, read from the metadata Nest itself routes by. */
function servedHandlers(): Handler[] {
  const controllers = Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, EdgeModule) as Array<new () => unknown>;
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .map((name) => ({ name, handler: prototype[name] }))
      .filter(({ handler }) => typeof handler === 'function' && Reflect.hasOwnMetadata(METHOD_METADATA, handler))
      .map(({ name, handler }) => {
        const target = handler as object;
        const path = String(Reflect.getMetadata(PATH_METADATA, target));
        return {
          name: `${controller.name}.${name}`,
          path: `/${[base, path].filter((p) => p && p !== '/').join('/')}`
            .replace(/^\/+/, '/')
            .replace(/:(\w+)/g, '{$1}'),
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, target) as number].toLowerCase(),
          status: Reflect.getMetadata(HTTP_CODE_METADATA, target) as number | undefined,
          route: Reflect.getMetadata('tollgate:route', target) as RouteDeclaration | undefined,
        };
      });
  });
}

const documented = EDGE_OPENAPI.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;

describe('EDGE_OPENAPI', () => {
  it('documents exactly the routes Nest serves, each served from its declaration', () => {
    const handlers = servedHandlers();
    expect(handlers.length).toBeGreaterThan(30);
    expect(handlers.filter((handler) => !handler.route).map((handler) => handler.name)).toEqual([]);
    const served = handlers.map((handler) => `${handler.method} ${handler.path}`).sort();
    const inDocument = Object.entries(documented)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    expect(inDocument).toEqual(served);
    for (const handler of handlers) {
      expect([handler.name, handler.route?.method, handler.route?.path]).toEqual([
        handler.name,
        handler.method,
        handler.path,
      ]);
    }
  });

  it('documents as success the status each handler answers with (201 vs 200, and 200 for a replay)', () => {
    for (const handler of servedHandlers()) {
      const route = handler.route as RouteDeclaration;
      expect([handler.name, handler.status]).toEqual([handler.name, route.success.status]);
      const successes = Object.keys(documented[route.path][route.method].responses).filter((s) => s.startsWith('2'));
      const expected = route.success.replay ? ['200', String(route.success.status)] : [String(route.success.status)];
      expect([handler.name, successes.sort()]).toEqual([handler.name, expected.sort()]);
    }
  });

  it('documents exactly the error statuses of the denials each route can answer with', () => {
    for (const route of EDGE_ROUTES) {
      const statuses = [...new Set(denialsOf(route).map((reason) => String(DOCUMENTED_ERRORS[reason].status)))].sort();
      const errors = Object.keys(documented[route.path][route.method].responses)
        .filter((status) => !status.startsWith('2'))
        .sort();
      expect([route.operationId, errors]).toEqual([route.operationId, statuses]);
    }
  });

  it('documents a 400 on every route that takes input, and a 401 on every route that takes a key', () => {
    for (const route of EDGE_ROUTES as readonly RouteDeclaration[]) {
      const responses = documented[route.path][route.method].responses;
      if (route.body || route.query || route.params)
        expect([route.operationId, '400' in responses]).toEqual([route.operationId, true]);
      if (route.access !== 'public') expect([route.operationId, '401' in responses]).toEqual([route.operationId, true]);
    }
  });

  it('has no bare object schema on the admin API: every body and answer names its fields', () => {
    const bare: string[] = [];
    const visit = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      const named = schema.properties || schema.additionalProperties || schema.patternProperties;
      if (schema.type === 'object' && !named && schema.additionalProperties !== false) bare.push(at);
      for (const [key, value] of Object.entries(schema)) visit(value, `${at}/${key}`);
    };
    for (const [path, methods] of Object.entries(documented)) if (path.startsWith('/admin')) visit(methods, path);
    expect(bare).toEqual([]);
  });

  it('passes the Redocly OpenAPI linter with no error and no warning', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      await writeFile(file, JSON.stringify(EDGE_OPENAPI));
      const cli = join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');
      const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--format=json'], {
        cwd: folder,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string }>;
      };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
