import type { TObject, TSchema } from '@tollgate/typebox';
import { DOCUMENTED_ERRORS, type DenialReason } from '@tollgate/errors';
import { ErrorResponse } from '../admin/common.api.js';
import { ANNOTATION_KEYWORDS } from '../schema/validator.js';
import type { UploadForm } from '../openai/uploads.schema.js';
import { denialsOf, type RouteDeclaration } from './route.js';

type Json = Record<string, unknown>;

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  tags: Array<{ name: string; description: string }>;
}

/**
 * The OpenAPI 3.1 document of a set of route declarations. Nothing in it is
 * written by hand: paths, parameters, bodies, responses and their statuses all
 * come from the declarations the edge serves. Schemas with an `$id` become
 * components, referenced wherever they appear.
 */
export function openApiDocument(info: DocumentInfo, routes: readonly RouteDeclaration[]): Json {
  const components: Record<string, Json> = {};
  const publish = (schema: TSchema): Json => toPublished(schema, components);
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method] = operation(route, publish);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: info.description,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'The edge as `npm start` runs it' }],
    security: [{ bearer: [] }],
    tags: info.tags,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer sk-…`' },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tollgate_session',
          description: 'The console session cookie (POST /admin/v1/session); writes also need the X-CSRF-Token header',
        },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

function operation(route: RouteDeclaration, publish: (schema: TSchema) => Json): Json {
  const parameters = [...parametersOf(route.params, 'path', publish), ...parametersOf(route.query, 'query', publish)];
  const success = route.success;
  const content: Json = {};
  if (success.schema) content['application/json'] = { schema: publish(success.schema) };
  for (const type of typeof success.contentType === 'string' ? [success.contentType] : (success.contentType ?? []))
    content[type] = { schema: { type: 'string' } };
  if (success.csv)
    content['text/csv'] = {
      schema: {
        type: 'string',
        description: 'The answer as CSV, when asked with format=csv (the route says which rows)',
      },
    };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.access === 'public'
      ? { security: [] }
      : route.access === 'billing' || route.access === 'admin'
        ? { security: [{ bearer: [] }, { consoleSession: [] }] }
        : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.upload
      ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: formSchema(route.upload) } } } }
      : route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: publish(route.body) } } } }
        : {}),
    responses: {
      [String(success.status)]: { description: success.description, content },
      ...(success.replay ? { '200': { description: success.replay, content } } : {}),
      ...errorResponses(denialsOf(route), publish, route.errorSchema ?? ErrorResponse),
    },
    ...(route.access === 'billing' || route.access === 'admin'
      ? { 'x-roles': route.access === 'admin' ? ['admin', 'root'] : ['billing', 'admin', 'root'] }
      : {}),
  };
}

/**
 * A form as OpenAPI describes `multipart/form-data`: one object of its text
 * fields and its file parts (binary strings), inline rather than a
 * component, since the same text fields are not a JSON body anywhere. A
 * group of file parts (`image` or `image[]`) is required as "any of them".
 */
function formSchema(form: UploadForm): Json {
  const fields = toPublished(form.fields, {}, { inline: true });
  const properties: Json = { ...(fields.properties as Json) };
  for (const file of form.files) {
    const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
    properties[file.name] = file.list
      ? { type: 'array', items: binary, description: file.description }
      : { ...binary, description: file.description };
  }
  const groups = new Map<string, string[]>();
  for (const file of form.files.filter((part) => part.required)) {
    groups.set(file.group, [...(groups.get(file.group) ?? []), file.name]);
  }
  const single = [...groups.values()].filter((names) => names.length === 1).map(([name]) => name);
  const alternatives = [...groups.values()].filter((names) => names.length > 1);
  return {
    type: 'object',
    ...(fields.description ? { description: fields.description } : {}),
    properties,
    required: [...((fields.required as string[] | undefined) ?? []), ...single],
    ...(alternatives.length > 0
      ? { allOf: alternatives.map((names) => ({ anyOf: names.map((name) => ({ required: [name] })) })) }
      : {}),
    additionalProperties: false,
  };
}

function parametersOf(schema: TObject | undefined, where: 'path' | 'query', publish: (schema: TSchema) => Json) {
  if (!schema) return [];
  const properties = schema.properties;
  const required = new Set(schema.required ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const published = publish(property);
    const { description, ...rest } = published;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** One response per status, its description listing the documented messages that status carries. */
function errorResponses(
  denials: readonly DenialReason[],
  publish: (schema: TSchema) => Json,
  schema: TSchema,
): Record<string, Json> {
  const byStatus = new Map<number, string[]>();
  for (const reason of denials) {
    const documented = DOCUMENTED_ERRORS[reason];
    const line = `${documented.code ?? reason}: ${documented.message({ keySuffix: 'xxxxxx', model: '{model}' })}`;
    byStatus.set(documented.status, [...(byStatus.get(documented.status) ?? []), line]);
  }
  const errorSchema = publish(schema);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, lines]) => [
        String(status),
        { description: lines.join('\n\n'), content: { 'application/json': { schema: errorSchema } } },
      ]),
  );
}

/**
 * A schema as the document shows it: our error-sentence keywords dropped,
 * TypeBox's catch-all record pattern written as `additionalProperties`, and
 * every nested schema with an `$id` moved to the components and referenced.
 */
function toPublished(schema: TSchema, components: Record<string, Json>, { inline = false } = {}): Json {
  const visit = (node: unknown, top: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => visit(item, false));
    if (!node || typeof node !== 'object') return node;
    const source = node as Json;
    const id = typeof source.$id === 'string' ? source.$id : null;
    if (id && !top) {
      if (!components[id]) {
        components[id] = {};
        components[id] = visit(source, true) as Json;
      }
      return { $ref: `#/components/schemas/${id}` };
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(source)) {
      if (key === '$id' || (ANNOTATION_KEYWORDS as readonly string[]).includes(key)) continue;
      if (key === 'patternProperties' && value && typeof value === 'object' && '^(.*)$' in value) {
        out.additionalProperties = visit((value as Json)['^(.*)$'], false);
        continue;
      }
      out[key] = visit(value, false);
    }
    return out;
  };
  const id = typeof (schema as Json).$id === 'string' ? ((schema as Json).$id as string) : null;
  return id && !inline ? (visit({ $id: id, ...schema }, false) as Json) : (visit(schema, true) as Json);
}
