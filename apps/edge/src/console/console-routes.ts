import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DenialReason } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import { sendDenial } from '../errors/error-response.js';

/** Where `npm run build` puts the console (Vite's outDir): dist/console, beside dist/apps/edge. */
export const BUILT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

/**
 * The console's Content-Security-Policy: its own scripts, styles and API
 * only. Vite's build has no inline script or style, and neither React, wouter
 * nor React Query sets a style attribute, so nothing needs 'unsafe-inline';
 * data: images are for icons a page may inline.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Vite names every asset by its content's hash: a changed file is a new name, so a name can be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The files of a built console, relative to its folder with `/` separators: the only paths ever read. */
function filesUnder(dir: string): ReadonlySet<string> {
  const names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return new Set(names.filter((name) => statSync(join(dir, name)).isFile()).map((name) => name.split(sep).join('/')));
}

/**
 * The console (apps/console, built to `dir`) at /console/: its files as they
 * are, hashed assets cached immutable, index.html `no-cache` (so a new build
 * is seen at once), and index.html for any other path under /console/, so a
 * deep link or a reload of a page loads the app, which routes it. A missing
 * asset is a 404, not the page: a script answered with HTML would fail
 * obscurely. Two routes (`/console`, `/console/*`), so the metrics' route
 * label stays bounded. The files are listed once at start-up: nothing outside
 * them (`..`, a file added later) is ever served. Without a build, /console
 * answers a documented 404 saying so; the edge starts all the same.
 */
export function installConsole(fastify: FastifyInstance, logger: Logger, configuredDir: string): void {
  const dir = resolve(configuredDir || BUILT_CONSOLE_DIR);
  const built = existsSync(join(dir, 'index.html'));
  if (!built) logger.warn({ dir }, 'the console is not built: /console answers 404 (npm run build builds it)');

  const notFound = (request: FastifyRequest, reply: FastifyReply, detail: string) =>
    sendDenial(reply, { reason: DenialReason.ResourceNotFound, params: { detail } }, request.tid);

  void fastify.register(async (scope) => {
    // Hooks here apply to this plugin's routes only: the API keeps its own headers.
    scope.addHook('onRequest', async (_request, reply) => {
      void reply.headers(SECURITY_HEADERS);
    });
    scope.get('/console', (_request, reply) => reply.redirect('/console/', 301));

    if (!built) {
      scope.get('/console/*', (request, reply) =>
        notFound(
          request,
          reply,
          'the console is not built (npm run build writes it to dist/console; CONSOLE_DIR names another folder)',
        ),
      );
      return;
    }

    const files = filesUnder(dir);
    await scope.register(fastifyStatic, {
      root: dir,
      serve: false,
      cacheControl: false,
      setHeaders(reply, path) {
        const name = relative(dir, path).split(sep).join('/');
        void reply.header('cache-control', name.startsWith('assets/') ? IMMUTABLE : 'no-cache');
      },
    });
    scope.get('/console/*', (request, reply) => {
      const wanted = (request.params as { '*': string })['*'];
      if (files.has(wanted)) return reply.sendFile(wanted);
      if (wanted.startsWith('assets/')) return notFound(request, reply, `no console asset ${wanted}`);
      return reply.sendFile('index.html');
    });
  });
}
