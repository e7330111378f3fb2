/**
 * Multipart (`multipart/form-data`) bodies, as OpenAI's upload endpoints take them: read with undici's own
 * form parser (the one `fetch` uses), never by hand. Text parts become the body's fields (`name[]` parts a
 * list); file parts are kept apart, and the request log shows them as name, type and size only.
 */
import { Response } from 'undici';

export interface FakeFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface FakeForm {
  readonly fields: Record<string, unknown>;
  readonly files: ReadonlyMap<string, readonly FakeFile[]>;
}

export const isMultipart = (contentType: string | undefined): boolean =>
  (contentType ?? '').toLowerCase().startsWith('multipart/form-data');

export async function readForm(raw: Buffer, contentType: string): Promise<FakeForm> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, unknown> = {};
  const files = new Map<string, FakeFile[]>();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      if (name.endsWith('[]')) ((fields[name] ??= []) as string[]).push(value);
      else fields[name] = value;
      continue;
    }
    const file = { filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) };
    files.set(name, [...(files.get(name) ?? []), file]);
  }
  return { fields, files };
}

/** What the request log records of a form: its fields, and each file part as name, type and size. */
export function loggedForm(form: FakeForm): Record<string, unknown> {
  const logged: Record<string, unknown> = { ...form.fields };
  for (const [name, files] of form.files) {
    const summaries = files.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      bytes: file.data.length,
    }));
    logged[name] = name.endsWith('[]') ? summaries : summaries[0];
  }
  return logged;
}
