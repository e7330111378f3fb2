import type { FastifyInstance, FastifyRequest } from 'fastify';
import { V1_ROUTES, type RouteDeclaration } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { isListName, readMultipartForm, type MultipartForm } from './multipart-form.js';

/** The routes whose body is a `multipart/form-data` form (the upload endpoints), by path. */
const UPLOAD_PATHS: ReadonlySet<string> = new Set(
  Object.values<RouteDeclaration>(V1_ROUTES)
    .filter((route) => route.upload !== undefined)
    .map((route) => route.path),
);

/** The text fields of a form: a string each, or the strings of a list (`name[]`) in order. */
export type FormFields = Record<string, string | string[]>;

/** The form each request's text fields were read from: the relay gets the fields, the upload endpoints the rest. */
const FORMS = new WeakMap<object, MultipartForm>();

/** The form a body of text fields came from; null when the body was not a form (JSON, or none). */
export const formOf = (body: object): MultipartForm | null => FORMS.get(body) ?? null;

const isUploadRoute = (request: FastifyRequest): boolean => UPLOAD_PATHS.has(request.routeOptions.url ?? '');
const isMultipart = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').trimStart().toLowerCase().startsWith('multipart/form-data');

/**
 * A request whose body Fastify will parse: not a GET or HEAD (their bodies are
 * never read), with a content type and a body (a length other than 0, or chunks).
 */
function carriesBody(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  const { headers } = request;
  if (headers['content-type'] === undefined) return false;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

/**
 * The form's text fields as the relay reads a body: `model` before
 * authentication, the rest checked by the endpoint's contract after it.
 */
function textFields(form: MultipartForm): FormFields {
  const fields: FormFields = {};
  for (const part of form.parts) {
    if (part.filename !== null) continue;
    const value = part.data.toString('utf8');
    if (!isListName(part.name)) fields[part.name] = value;
    else ((fields[part.name] ??= []) as string[]).push(value);
  }
  return fields;
}

/**
 * Forms for the upload routes, JSON for every other: a form sent to another
 * route, or anything but a form sent to an upload route, is refused with the
 * documented 415 before its body is read. A form is read whole, up to
 * `limitBytes` (413 above it: the upload routes' own limit, as audio files
 * are larger than any JSON body), parsed once with busboy, and kept as it
 * came (`rawBody`), to be sent upstream unchanged when the model is not
 * mapped — the bytes checked are the bytes sent.
 */
export function installUploadRoutes(fastify: FastifyInstance, limitBytes: number): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (carriesBody(request) && isUploadRoute(request) !== isMultipart(request)) {
      return done(new DenialException(DenialReason.UnsupportedMediaType), payload);
    }
    done(null, payload);
  });

  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: limitBytes },
    (request, body, done) => {
      const raw = body as Buffer;
      request.rawBody = raw;
      readMultipartForm(raw, request.headers['content-type'] ?? '').then(
        (form) => {
          const fields = textFields(form);
          FORMS.set(fields, form);
          done(null, fields);
        },
        (error: unknown) => done(error as Error, undefined),
      );
    },
  );
}
