import busboy from 'busboy';
import { DenialException, DenialReason } from '@tollgate/errors';

/** One part of a form, in the order it came. */
export interface FormPart {
  name: string;
  /** Set for a file part (busboy: a part with a filename); null for a text field. */
  filename: string | null;
  /** The part's own content type (`audio/wav`, `image/png`); text/plain for a text field. */
  mimeType: string;
  data: Buffer;
}

/**
 * A `multipart/form-data` request body, read once: the bytes as they came
 * (what is sent upstream when nothing changes), their content type with its
 * boundary, and the parts.
 */
export interface MultipartForm {
  raw: Buffer;
  contentType: string;
  parts: readonly FormPart[];
}

const malformed = (detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param: 'body', detail });

/**
 * A list field: OpenAI's forms send a list as repeated `name[]` parts
 * (`timestamp_granularities[]`, `image[]`), the only names that may appear
 * more than once.
 */
export const isListName = (name: string): boolean => name.endsWith('[]');

/**
 * The parts of a whole multipart body, read with busboy (the parser
 * fastify's own multipart plugin is built on). Refused, naming what is
 * wrong: a body busboy cannot read (no boundary, cut off), and a part name
 * that appears twice when it is not a list — the upstream might read the
 * other one, as with a JSON key twice.
 */
export function readMultipartForm(raw: Buffer, contentType: string): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Limits are the body's own (UPLOAD_LIMIT_BYTES, checked before this); busboy's defaults would cut a field at 1 MB.
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fieldSize: raw.length, fields: 1000, parts: 1000 },
      });
    } catch (error) {
      reject(malformed(`the multipart body cannot be read: ${(error as Error).message}`));
      return;
    }
    const parts: FormPart[] = [];
    const seen = new Set<string>();
    let refusal: DenialException | null = null;
    const note = (name: string): boolean => {
      if (seen.has(name) && !isListName(name)) {
        refusal ??= new DenialException(DenialReason.InvalidRequest, {
          param: name,
          detail: `${name} appears twice; send each field once`,
        });
        return false;
      }
      seen.add(name);
      return true;
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) refusal ??= malformed(`the part ${name} is too long`);
      if (note(name)) parts.push({ name, filename: null, mimeType: info.mimeType, data: Buffer.from(value, 'utf8') });
    });
    parser.on('file', (name, stream, info) => {
      // Placed when it begins, so the parts keep the order they came in (a rebuilt form keeps it too).
      // A file part sent with an empty filename is still a file (busboy reports it as undefined).
      const part: FormPart = { name, filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.alloc(0) };
      if (note(name)) parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (part.data = Buffer.concat(chunks)));
    });
    parser.on('partsLimit', () => (refusal ??= malformed('the form has more than 1000 parts')));
    parser.on('fieldsLimit', () => (refusal ??= malformed('the form has more than 1000 fields')));
    parser.on('error', (error: Error) => reject(malformed(`the multipart body cannot be read: ${error.message}`)));
    parser.on('close', () => (refusal ? reject(refusal) : resolve({ raw, contentType, parts })));
    parser.end(raw);
  });
}
