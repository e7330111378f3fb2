import fc from 'fast-check';
import { LIMITS, type RouteDeclaration } from '@tollgate/contracts';
import { DEEP_NESTING_LEVELS, hostileValue } from './hostile-values.js';
import { asJsonSchema, valueOf, type JsonSchema, type ValueContext } from './schema-values.js';
import { mutantOf } from './value-mutants.js';

/** The suite a fuzz run talks to: keys to call with, and real resources for path parameters. */
export interface FuzzTargets {
  rootKey: string;
  /** A customer's key, with a balance, for the /v1 routes. */
  customerKey: string;
  /** The one model the customer is served, priced, by a channel to the fake provider. */
  servedModel: string;
  /** A real channel, for keys that pin one (`sk-…-<channel id>`). */
  pinnedChannel: string;
  /** Real resources by path parameter name, for the admin API half of the time (never the customer's own). */
  adminFixtures: Record<string, string>;
  /** Where every channel the fuzzer creates or changes points: the fake provider, never elsewhere. */
  upstreamBaseUrl: string;
  bodyLimitBytes: number;
  /**
   * Whether to send what Fastify and Node answer before the edge's hooks run:
   * path segments that are not valid percent-encoding or longer than Fastify's
   * `maxParamLength`, and request heads over Node's header size limit.
   */
  frameworkCases: boolean;
}

/** Fastify's default `maxParamLength` and Node's default `--max-http-header-size`. */
const MAX_PARAM_LENGTH = LIMITS.nameLength * 12;
const MAX_HEAD_BYTES = 16 * 1024;

/** Whether a request stays inside the limits Fastify and Node enforce before the edge sees it. */
function withinFrameworkLimits(request: FuzzRequest, route: RouteDeclaration): boolean {
  const [path] = request.target.split('?');
  const templates = route.path.split('/');
  const segments = path.split('/');
  const params = segments.filter((_, index) => templates[index]?.startsWith('{'));
  const decodable = params.every((segment) => {
    try {
      decodeURIComponent(segment);
      return segment.length <= MAX_PARAM_LENGTH;
    } catch {
      return false;
    }
  });
  // The request line, the headers and their separators, with room for the Host and Connection lines.
  const head =
    request.target.length + request.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
  return decodable && head < MAX_HEAD_BYTES - 512;
}

/** One HTTP request as the fuzzer sends it: repeated headers allowed, the body as text. */
export interface FuzzRequest {
  method: string;
  /** Path and query, exactly as written on the request line. */
  target: string;
  headers: [string, string][];
  body?: string;
  /** `latin1` writes each character as one byte: how a body that is not UTF-8 is sent. */
  bodyEncoding: 'utf8' | 'latin1';
}

const shown = (text: string) =>
  text.length > 300 ? `${JSON.stringify(text.slice(0, 300))}…(${text.length} chars)` : JSON.stringify(text);

/** How a failing case is printed in fast-check's report: whole, except for the kilobytes of an oversized part. */
export function describeRequest(request: FuzzRequest): string {
  const headers = request.headers.map(([name, value]) => `${name}: ${shown(value)}`).join(', ');
  const body = request.body === undefined ? 'no body' : `body (${request.bodyEncoding}) ${shown(request.body)}`;
  return `${request.method.toUpperCase()} ${shown(request.target)} [${headers}] ${body}`;
}

// ── values ──────────────────────────────────────────────────────────────────

/** A valid value most of the time, a spoiled one otherwise. */
function inputOf(schema: JsonSchema, context: ValueContext): fc.Arbitrary<unknown> {
  const valid = valueOf(schema, context);
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: mutantOf(valid) });
}

/** Percent-encodings that are not one: what a careless or hostile client puts in a path. */
const BAD_ENCODINGS = ['%zz', '%', '%4', '%c3%28', '%ed%a0%80', '%00', '%2F', '%252F', '..', '.', '%20', '%ff%fe'];

function encodedSegment(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    return encodeURIComponent(text);
  } catch {
    // An unpaired surrogate has no UTF-8 form: send the bytes its CESU-8 spelling would have.
    return '%ed%a0%80';
  }
}

function pathOf(route: RouteDeclaration, targets: FuzzTargets, context: ValueContext): fc.Arbitrary<string> {
  const params = route.params ? (asJsonSchema(route.params).properties ?? {}) : {};
  const names = Object.keys(params);
  const segments = names.map((name) => {
    // On /v1 the one path parameter is a model id.
    const fixture = route.access === 'key' ? targets.servedModel : targets.adminFixtures[name];
    const generated = inputOf(params[name], context).map(encodedSegment);
    return fc.oneof(
      { weight: fixture === undefined ? 0 : 5, arbitrary: fc.constant(encodedSegment(fixture)) },
      { weight: 4, arbitrary: generated },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_ENCODINGS) },
    );
  });
  return fc
    .tuple(...segments)
    .map((values) => names.reduce((path, name, index) => path.replace(`{${name}}`, values[index]), route.path));
}

function queryText(query: unknown): string {
  if (query === undefined) return '';
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return `?${encodedSegment(query)}`;
  const pairs = Object.entries(query).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (item) => `${encodedSegment(name)}=${typeof item === 'string' ? encodedSegment(item) : encodedSegment(item)}`,
    ),
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function queryOf(route: RouteDeclaration, context: ValueContext): fc.Arbitrary<string> {
  const declared = route.query ? inputOf(asJsonSchema(route.query), context).map(queryText) : fc.constant('');
  return fc.oneof(
    { weight: 8, arbitrary: declared },
    // Repeated and undeclared parameters, and an encoding that is not one.
    { weight: 1, arbitrary: declared.map((query) => `${query}${query ? '&' : '?'}limit=1&limit=2&x=%zz`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?=', '?%', `?a=${'b'.repeat(4000)}`) },
  );
}

// ── bodies ──────────────────────────────────────────────────────────────────

interface Body {
  text?: string;
  encoding: 'utf8' | 'latin1';
}

/** `{"k":1,"k":2}`: JSON.stringify never writes a key twice, so the text is built by hand. */
function withDuplicateKey(value: unknown, duplicate: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return text;
  const keys = Object.keys(value);
  const key = keys[0] ?? 'model';
  const first = `${JSON.stringify(key)}:${JSON.stringify(duplicate) ?? 'null'}`;
  return keys.length === 0 ? `{${first},${first}}` : `{${first},${text.slice(1)}`;
}

function bodyOf(route: RouteDeclaration, targets: FuzzTargets, context: ValueContext): fc.Arbitrary<Body> {
  const value = route.body ? inputOf(asJsonSchema(route.body), context) : fc.constant({});
  const utf8 = (text: string): Body => ({ text, encoding: 'utf8' });
  return fc.oneof(
    { weight: 30, arbitrary: value.map((v) => utf8(JSON.stringify(v) ?? '')) },
    { weight: 3, arbitrary: fc.tuple(value, hostileValue).map(([v, d]) => utf8(withDuplicateKey(v, d))) },
    {
      weight: 2,
      arbitrary: value.map((v) =>
        utf8(
          `{"nest":${'['.repeat(DEEP_NESTING_LEVELS)}${']'.repeat(DEEP_NESTING_LEVELS)},"v":${JSON.stringify(v) ?? 0}}`,
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: value.map((v) =>
        utf8(`${'['.repeat(DEEP_NESTING_LEVELS * 5)}${JSON.stringify(v) ?? 0}${']'.repeat(DEEP_NESTING_LEVELS * 5)}`),
      ),
    },
    // One byte over the limit, and far over it, of otherwise valid JSON.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1, 1000)
        .map((over) => utf8(`{"pad":"${'x'.repeat(targets.bodyLimitBytes - 10 + over)}"}`)),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Body>(
        { encoding: 'utf8' },
        utf8(''),
        utf8('null'),
        utf8('[]'),
        utf8('"x"'),
        utf8('1e999'),
      ),
    },
    { weight: 2, arbitrary: value.map((v) => utf8((JSON.stringify(v) ?? '{}').slice(0, -1))) },
    { weight: 1, arbitrary: value.map((v) => utf8(`\ufeff${JSON.stringify(v) ?? ''}`)) },
    { weight: 1, arbitrary: fc.constantFrom<Body>({ text: '{"name":"\xff\xfe\xc3\x28"}', encoding: 'latin1' }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map(utf8) },
  );
}

/** Mostly JSON, so that most bodies reach the checks behind the content type. */
const contentTypes = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'application/jsonx',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      '',
      ';;;',
    ),
  },
);

// ── headers ─────────────────────────────────────────────────────────────────

function authorizationOf(route: RouteDeclaration, targets: FuzzTargets): fc.Arbitrary<[string, string][]> {
  const mine = route.access === 'key' ? targets.customerKey : targets.rootKey;
  const bearer = (key: string): [string, string][] => [['authorization', `Bearer ${key}`]];
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(bearer(mine)) },
    { weight: 2, arbitrary: fc.constant(bearer(route.access === 'key' ? targets.rootKey : targets.customerKey)) },
    { weight: 2, arbitrary: fc.constant<[string, string][]>([]) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<[string, string][]>(
        [['authorization', 'Bearer ']],
        [['authorization', 'Bearer']],
        [['authorization', 'Basic dXNlcjpwYXNz']],
        [['authorization', `bearer ${mine}`]],
        [['authorization', `Bearer  ${mine} `]],
        [['authorization', `Bearer ${mine}-${targets.pinnedChannel}`]],
        [['authorization', `Bearer ${mine}-0`]],
        [['authorization', `Bearer ${mine}-99999999999999999999`]],
        [['authorization', `Bearer sk-${'A'.repeat(8000)}`]],
        [['authorization', `Bearer ${mine.slice(0, -1)}`]],
        [
          ['authorization', `Bearer ${mine}`],
          ['authorization', `Bearer ${targets.customerKey}`],
        ],
        [
          ['authorization', `Bearer ${targets.customerKey}`],
          ['authorization', `Bearer ${targets.rootKey}`],
        ],
      ),
    },
  );
}

/** Headers besides the key: trace contexts (they choose the tid), proxies' headers, and plain noise. */
const oddHeaders: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<[string, string][]>(
      [['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']],
      [['traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']],
      [['traceparent', 'garbage']],
      [['traceparent', `00-${'f'.repeat(2000)}`]],
      [
        ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        ['traceparent', '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00f067aa0ba902b7-01'],
      ],
      [['x-forwarded-for', '1.2.3.4, ::1, not-an-ip']],
      [['x-real-ip', '999.999.999.999']],
      [['x-padding', 'p'.repeat(8000)]],
      [['accept', 'text/event-stream']],
      [['accept-encoding', 'gzip, br, zstd']],
      [['content-encoding', 'gzip']],
      [['expect', '100-continue']],
      [['x-tid', 'forged']],
    ),
  },
);

/**
 * Requests for one route, made from its declaration: its own method and
 * path (path parameters from fixtures half of the time), its query and body
 * generated from its schemas and often spoiled, sent with or without a key,
 * in a content type that may be wrong, sometimes with a body the route does
 * not take, sometimes with the wrong method.
 */
export function requestsFor(
  route: RouteDeclaration,
  targets: FuzzTargets,
  context: ValueContext,
): fc.Arbitrary<FuzzRequest> {
  const takesBody = route.body !== undefined;
  const contentType = fc.oneof(
    { weight: takesBody ? 6 : 1, arbitrary: contentTypes.map((type): [string, string][] => [['content-type', type]]) },
    { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  );
  const method = fc.oneof(
    { weight: 19, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom('get', 'post', 'put', 'patch', 'delete', 'options', 'head') },
  );
  return fc
    .record({
      method,
      path: pathOf(route, targets, context),
      query: queryOf(route, context),
      authorization: authorizationOf(route, targets),
      contentType,
      odd: oddHeaders,
      body: fc.oneof(
        { weight: takesBody ? 9 : 1, arbitrary: bodyOf(route, targets, context) },
        { weight: takesBody ? 1 : 9, arbitrary: fc.constant<Body>({ encoding: 'utf8' }) },
      ),
    })
    .map(({ method: verb, path, query, authorization, contentType: type, odd, body }) => {
      const sendsBody = body.text !== undefined && verb !== 'get' && verb !== 'head';
      const request: FuzzRequest = {
        method: verb,
        target: `${path}${query}`,
        headers: [...authorization, ...type, ...odd],
        body: sendsBody ? body.text : undefined,
        bodyEncoding: body.encoding,
      };
      // fast-check prints a counterexample with this: kilobytes of padding are summarised.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    })
    .filter((request) => targets.frameworkCases || withinFrameworkLimits(request, route));
}
