/**
 * Gemini's `models/{model}:embedContent` (`{"embedding": {"values": […]}}`) and `:batchEmbedContents`
 * (`{"embeddings": [{"values": […]}, …]}`), with the same deterministic vectors as OpenAI's embeddings for
 * the same text (8 dimensions unless `outputDimensionality`). Gemini reports no usage for embeddings.
 */
import { DEFAULT_EMBEDDING_DIMENSIONS, fakeEmbedding } from './embeddings.handler.js';
import { geminiInvalidArgument } from './gemini-error.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { FakeRequestContext } from './request-context.js';

const MAX_DIMENSIONS = 4096;
const MAX_BATCH = 250;

function embed(request: unknown, where: string): { values: number[] } {
  const content = isRecord(request) ? request.content : undefined;
  if (!isRecord(content) || !Array.isArray(content.parts)) {
    throw geminiInvalidArgument(`* ${where}.content: content is not specified\n`);
  }
  const text = content.parts.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  const dimensions = isRecord(request) ? request.outputDimensionality : undefined;
  if (
    dimensions !== undefined &&
    (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS)
  ) {
    throw geminiInvalidArgument(
      `* ${where}.output_dimensionality: must be an integer between 1 and ${MAX_DIMENSIONS}\n`,
    );
  }
  return { values: fakeEmbedding(text, dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS) };
}

export function handleGeminiEmbed(ctx: FakeRequestContext): void {
  sendJson(ctx.res, 200, JSON.stringify({ embedding: embed(ctx.body, 'EmbedContentRequest') }));
}

export function handleGeminiBatchEmbed(ctx: FakeRequestContext): void {
  const { requests } = ctx.body;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw geminiInvalidArgument('* BatchEmbedContentsRequest.requests: requests is not specified\n');
  }
  if (requests.length > MAX_BATCH) {
    throw geminiInvalidArgument(`* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests are allowed\n`);
  }
  const embeddings = requests.map((request, i) => embed(request, `BatchEmbedContentsRequest.requests[${i}]`));
  sendJson(ctx.res, 200, JSON.stringify({ embeddings }));
}
