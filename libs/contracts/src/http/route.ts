import type { TObject, TSchema } from '@tollgate/typebox';
import { DenialReason } from '@tollgate/errors';
import type { UploadForm } from '../openai/uploads.schema.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone (`public`), any valid key (`key`: the /v1
 * surface), or a key whose role may enter the `billing` or `admin` area.
 */
export type RouteAccess = 'public' | 'key' | 'billing' | 'admin';

/**
 * One HTTP route, declared once: the edge serves it from this declaration
 * (method, path, status, the checks of its path, query and body), and the
 * OpenAPI document is made from it.
 */
export interface RouteDeclaration {
  operationId: string;
  method: HttpMethod;
  /** The path as OpenAPI writes it: `/admin/v1/users/{user_id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: RouteAccess;
  params?: TObject;
  query?: TObject;
  body?: TSchema;
  /**
   * A `multipart/form-data` body instead of JSON: `body` is then its text
   * fields' schema (`upload.fields`), and these are its file parts.
   */
  upload?: UploadForm;
  /**
   * The success answer. `schema` absent: not JSON (`contentType` says what).
   * `csv`: the route also answers `text/csv` when asked with `format=csv`.
   */
  success: {
    status: 200 | 201;
    schema?: TSchema;
    /** Another content type the answer may have (besides JSON when `schema` is given); or several. */
    contentType?: string | readonly string[];
    csv?: boolean;
    description: string;
    /**
     * A write keyed by an idempotency key: a replay of one applied before
     * answers 200 instead of 201, with the same schema; this describes it.
     */
    replay?: string;
  };
  /** Denials this route can answer with, beyond those every route of its access answers with. */
  denials: readonly DenialReason[];
  /** The denial for a malformed path parameter; default a 400 invalid_request naming it. */
  invalidParams?: DenialReason;
  /** The shape of this route's error bodies when it is not OpenAI's (Anthropic's envelope on its Messages API). */
  errorSchema?: TSchema;
}

/**
 * What any route may answer: a request the HTTP layer cannot take (a URL not
 * validly %-encoded or a header Node refuses: 400; a URL, path parameter or
 * headers too long: 414, 431; a request that took too long to arrive: 408),
 * an internal failure, or a service that did not answer in time.
 */
const ALWAYS = [
  DenialReason.InvalidRequest,
  DenialReason.RequestTimeout,
  DenialReason.UriTooLong,
  DenialReason.HeaderFieldsTooLarge,
  DenialReason.InternalError,
  DenialReason.ServiceUnavailable,
] as const;
const KEYED = [
  DenialReason.AuthenticationThrottled,
  DenialReason.MissingAccessToken,
  DenialReason.InvalidAccessToken,
  DenialReason.AccountSuspended,
  DenialReason.IpNotAllowed,
] as const;
const STAFF = [...KEYED, DenialReason.InsufficientPermissions] as const;
const WITH_BODY = [
  DenialReason.MalformedJson,
  DenialReason.InvalidRequest,
  DenialReason.PayloadTooLarge,
  DenialReason.UnsupportedMediaType,
] as const;

/** Every denial a route can answer with: its own, and those that come with its access and inputs. */
export function denialsOf(route: RouteDeclaration): DenialReason[] {
  const all = new Set<DenialReason>([...ALWAYS, ...route.denials]);
  if (route.access === 'key') KEYED.forEach((reason) => all.add(reason));
  if (route.access === 'billing' || route.access === 'admin') STAFF.forEach((reason) => all.add(reason));
  // A write signed in with the console's session cookie must carry its CSRF token.
  if ((route.access === 'billing' || route.access === 'admin') && route.method !== 'get')
    all.add(DenialReason.CsrfTokenInvalid);
  // The edge parses the body of any request that may carry one, also for a route that declares none (a DELETE).
  if (route.body || route.method !== 'get') WITH_BODY.forEach((reason) => all.add(reason));
  if (route.query || route.params) all.add(route.invalidParams ?? DenialReason.InvalidRequest);
  if (route.query) all.add(DenialReason.InvalidRequest);
  return [...all];
}

export const declareRoutes = <const T extends Record<string, RouteDeclaration>>(routes: T): T => routes;
