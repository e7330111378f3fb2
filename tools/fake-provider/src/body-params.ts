/**
 * Minimal validation of request bodies — only what the fake needs to build its answer. It deliberately does
 * not re-implement OpenAI's full validation: the point is to answer whatever a gateway forwards, and to fail
 * with OpenAI's own wording when a field the answer depends on is missing.
 */
import { invalidRequest, missingParameter } from './openai-error.js';

type Body = Readonly<Record<string, unknown>>;

export function requiredString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw missingParameter(name);
  if (typeof value !== 'string')
    throw invalidRequest(`Invalid type for '${name}': expected a string.`, name, 'invalid_type');
  return value;
}

export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw invalidRequest(`Invalid type for '${name}': expected a string.`, name, 'invalid_type');
  return value;
}

export function requiredPresent(body: Body, name: string): unknown {
  const value = body[name];
  if (value === undefined || value === null) throw missingParameter(name);
  return value;
}

export function optionalInteger(body: Body, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidRequest(`Invalid '${name}': expected an integer between ${min} and ${max}.`, name, 'invalid_value');
  }
  return value;
}

/** `stream_options.include_usage`, OpenAI's opt-in for the final usage chunk of a stream. */
export function includeUsageRequested(body: Body): boolean {
  const options = body.stream_options;
  return (
    typeof options === 'object' && options !== null && 'include_usage' in options && options.include_usage === true
  );
}
