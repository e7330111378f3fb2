import type { ChannelTarget } from '../../provider-adapter.js';

/** The API version the adapter speaks: v1beta has systemInstruction, tools and JSON schemas; v1 lags behind. */
const VERSION = '/v1beta';

/** `{base}/v1beta`; a base URL that already ends in a version path is taken as it is. */
export function apiRoot(target: ChannelTarget): string {
  return /\/v1(?:beta|alpha)?$/.test(target.baseUrl) ? target.baseUrl : target.baseUrl + VERSION;
}

/**
 * The resource a model is called at: `models/{id}`, or a tuned model
 * (`tunedModels/{id}`); a mapping may name either, with or without the
 * `models/` prefix Gemini's model list uses.
 */
function modelResource(model: string): string {
  const match = /^(models|tunedModels)\/(.+)$/.exec(model);
  return match ? `${match[1]}/${encodeURIComponent(match[2])}` : `models/${encodeURIComponent(model)}`;
}

/** The model name inside a request body (batchEmbedContents repeats it per request). */
export const modelName = (model: string): string => (/^(models|tunedModels)\//.test(model) ? model : `models/${model}`);

export const modelUrl = (target: ChannelTarget, model: string, method: string): string =>
  `${apiRoot(target)}/${modelResource(model)}:${method}`;

/** The key header with `accept` (and a body's content type), built as one literal (see the openai adapter's headers). */
export const geminiHeaders = (target: ChannelTarget, accept: string, withBody: boolean): Record<string, string> =>
  withBody
    ? { 'x-goog-api-key': target.apiKey, 'content-type': 'application/json', accept }
    : { 'x-goog-api-key': target.apiKey, accept };
