import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { EDGE_OPENAPI } from '../../apps/edge/src/admin/openapi.document.js';

/*
 * Every answer an end-to-end test receives from the edge is checked against
 * the OpenAPI document the edge serves: its status must be one the document
 * lists for the route, and a JSON body must match that status's schema. So the
 * document cannot promise what the edge does not do, nor the edge answer what
 * the document does not say.
 */

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Paths = Record<string, Record<string, Operation>>;

const paths = EDGE_OPENAPI.paths as Paths;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: false }));
ajv.addSchema(EDGE_OPENAPI, 'openapi', undefined, false);

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const templates = Object.keys(paths).map((template) => ({
  template,
  literal: !template.includes('{'),
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** The documented path a request went to; a literal path wins over a template. */
function templateOf(path: string): string | null {
  const bare = path.split('?')[0];
  const matches = templates.filter(({ pattern }) => pattern.test(bare));
  return (matches.find((match) => match.literal) ?? matches[0])?.template ?? null;
}

export interface ObservedAnswer {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

/** Throws, naming the route and the mismatch, when an answer is not what the document says. */
export function assertDocumented(answer: ObservedAnswer): void {
  const method = answer.method.toLowerCase();
  const template = templateOf(answer.path);
  // Unknown routes answer the documented 404 of no route; nothing to compare with.
  if (template === null || !paths[template][method]) return;
  const where = `${method.toUpperCase()} ${template} → ${answer.status}`;
  const response = paths[template][method].responses[String(answer.status)];
  if (!response) throw new Error(`${where}: the OpenAPI document does not list this status for the route`);
  const json = answer.contentType?.includes('application/json') ?? false;
  if (!json || !response.content?.['application/json']?.schema) return;
  const pointer = `openapi#/paths/${escape(template)}/${method}/responses/${answer.status}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
  if (!validate(answer.body)) {
    throw new Error(`${where}: the body does not match the document: ${ajv.errorsText(validate.errors)}`);
  }
}

/** A fetch that checks every answer of the edge against the document (for the OpenAI SDK's `fetch`). */
export const documentedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const contentType = response.headers.get('content-type');
  const json = contentType?.includes('application/json') ?? false;
  assertDocumented({
    method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
    path: url.pathname,
    status: response.status,
    contentType,
    body: json ? await response.clone().json() : null,
  });
  return response;
};
