import type { UploadForm, Validator } from '@tollgate/contracts';
import { Value } from '@tollgate/typebox';
import { DenialException, DenialReason } from '@tollgate/errors';
import { formOf } from '../../http/upload-routes.js';
import type { FormPart, MultipartForm } from '../../http/multipart-form.js';
import { checkBody } from '../body-check.js';
import { invalid, type JsonObject } from '../body-fields.js';

/** A form with its text fields checked: the file parts by name, in the order they came. */
export interface CheckedForm {
  form: MultipartForm;
  files: ReadonlyMap<string, readonly FormPart[]>;
}

/**
 * Checks a form against its declaration, after authentication (the relay's
 * order: 401 → 403 → 400): every part is a declared text field or file part
 * of the right kind, every required file is there, and the text fields —
 * read as numbers and booleans where the schema says so ("2" → 2, as for a
 * query string) — pass the endpoint's compiled contract, whose refusal
 * names the field as the client spelled it.
 */
export function checkForm<T>(declaration: UploadForm, contract: Validator<T>, body: JsonObject): CheckedForm {
  const form = formOf(body);
  if (!form) throw new DenialException(DenialReason.UnsupportedMediaType);
  const fileNames = new Set(declaration.files.map((file) => file.name));
  const textNames = new Set(Object.keys(declaration.fields.properties));
  const files = new Map<string, FormPart[]>();
  for (const part of form.parts) {
    if (part.filename === null) {
      if (fileNames.has(part.name)) throw invalid(part.name, `${part.name} must be a file part, not a text field`);
      continue; // the contract names an unknown text field
    }
    if (textNames.has(part.name)) throw invalid(part.name, `${part.name} must be a text field, not a file part`);
    if (!fileNames.has(part.name)) throw invalid(part.name, `unknown file part ${part.name}`);
    files.set(part.name, [...(files.get(part.name) ?? []), part]);
  }
  for (const file of declaration.files) {
    if (!file.required || files.has(file.name)) continue;
    const group = declaration.files.filter((other) => other.group === file.group);
    if (!group.some((other) => files.has(other.name))) throw invalid(file.group, `${file.group} is required`);
  }
  // Fields the schema declares as numbers or booleans arrive as text; a text that is not one stays as it is, refused.
  Object.assign(body, Value.Convert(declaration.fields, { ...body }));
  checkBody(contract, body);
  return { form, files };
}
