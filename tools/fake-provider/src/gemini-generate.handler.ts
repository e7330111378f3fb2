/**
 * Gemini's `models/{model}:generateContent` (a GenerateContentResponse) and `:streamGenerateContent`
 * (`?alt=sse`: `data: <GenerateContentResponse>\r\n\r\n` chunks, no terminator; without it a JSON array
 * streamed element by element). Text streams one word per chunk; a function call arrives whole in one chunk,
 * as Gemini sends it (no argument deltas). A last chunk carries finishReason and the final usageMetadata;
 * the earlier ones carry only the prompt count, as Gemini's do. Zero counts are left out, as proto3 JSON does.
 */
import { fakeTokenCounts, type FakeTokenCounts } from './fake-usage.js';
import { planReply, type FakeReply, type ReplyRequest, type ToolChoice } from './fake-reply.js';
import type { OfferedTool } from './fake-tool-call.js';
import { geminiInvalidArgument, geminiStreamError } from './gemini-error.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { FakeRequestContext } from './request-context.js';
import { SSE_CONTENT_TYPE, writeStream } from './sse-stream.js';

type Body = Readonly<Record<string, unknown>>;

const sseChunk = (json: string): string => `data: ${json}\r\n\r\n`;
/** Between two elements of the streamed JSON array, as Google separates them. */
const ARRAY_SEPARATOR = ',\r\n';

export function requireContents(body: Body, where = 'GenerateContentRequest'): unknown[] {
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    throw geminiInvalidArgument(`* ${where}.contents: contents is not specified\n`);
  }
  return body.contents;
}

/** `tools: [{functionDeclarations: [{name, parameters | parametersJsonSchema}]}]`; other tools (googleSearch…) are Google's. */
function offeredTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  const offered: OfferedTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) continue;
    for (const declaration of tool.functionDeclarations) {
      if (isRecord(declaration) && typeof declaration.name === 'string') {
        offered.push({ name: declaration.name, schema: declaration.parameters ?? declaration.parametersJsonSchema });
      }
    }
  }
  return offered;
}

/** `toolConfig.functionCallingConfig`: mode NONE forbids; ANY with allowedFunctionNames forces the first named. */
function toolChoice(toolConfig: unknown): ToolChoice {
  const config = isRecord(toolConfig) ? toolConfig.functionCallingConfig : undefined;
  if (!isRecord(config)) return { mode: 'auto' };
  if (config.mode === 'NONE') return { mode: 'none' };
  const allowed: unknown = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames[0] : undefined;
  return config.mode === 'ANY' && typeof allowed === 'string' ? { mode: 'named', name: allowed } : { mode: 'auto' };
}

function endsWithFunctionResponse(contents: readonly unknown[]): boolean {
  const last = contents.at(-1);
  return (
    isRecord(last) &&
    Array.isArray(last.parts) &&
    last.parts.some((part) => isRecord(part) && part.functionResponse !== undefined)
  );
}

function replyRequest(body: Body, contents: readonly unknown[]): ReplyRequest {
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const limit = config.maxOutputTokens;
  const stops = config.stopSequences;
  return {
    tools: offeredTools(body.tools),
    toolChoice: toolChoice(body.toolConfig),
    afterToolResult: endsWithFunctionResponse(contents),
    outputLimit: typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 ? limit : undefined,
    stopSequences: Array.isArray(stops) ? stops.filter((s): s is string => typeof s === 'string') : undefined,
  };
}

/** thoughtsTokenCount is NOT part of candidatesTokenCount; totalTokenCount adds all three. */
export function geminiUsage(counts: FakeTokenCounts, final: boolean): Record<string, unknown> {
  const thoughts = final ? counts.reasoning : 0;
  const candidates = final ? Math.max(0, counts.output - counts.reasoning) : 0;
  const usage: Record<string, unknown> = { promptTokenCount: counts.input };
  if (candidates > 0) usage.candidatesTokenCount = candidates;
  usage.totalTokenCount = counts.input + candidates + thoughts;
  if (counts.cacheRead > 0) usage.cachedContentTokenCount = counts.cacheRead;
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: counts.input }];
  if (counts.cacheRead > 0) usage.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: counts.cacheRead }];
  if (candidates > 0) usage.candidatesTokensDetails = [{ modality: 'TEXT', tokenCount: candidates }];
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  return usage;
}

const finishReason = (reply: FakeReply): string =>
  reply.kind === 'text' && reply.finish === 'length' ? 'MAX_TOKENS' : 'STOP';

function parts(reply: FakeReply): unknown[] {
  return reply.kind === 'tool_call'
    ? [{ functionCall: { name: reply.name, args: reply.input } }]
    : [{ text: reply.text }];
}

export async function handleGeminiGenerate(ctx: FakeRequestContext, model: string, stream: boolean): Promise<void> {
  const { body, controls } = ctx;
  const reply = planReply(replyRequest(body, requireContents(body)), controls);
  const counts = controls.omitUsage ? undefined : fakeTokenCounts(body, reply.pieces.length, controls);
  const responseId = `fake-response-${ctx.seq}`;
  const response = (candidate: Record<string, unknown>, final: boolean): string =>
    JSON.stringify({
      candidates: [candidate],
      ...(counts ? { usageMetadata: geminiUsage(counts, final) } : {}),
      modelVersion: model,
      responseId,
    });

  if (!stream) {
    const candidate = { content: { parts: parts(reply), role: 'model' }, finishReason: finishReason(reply) };
    sendJson(ctx.res, 200, response(candidate, true));
    return;
  }

  const chunks =
    reply.kind === 'tool_call'
      ? [response({ content: { parts: parts(reply), role: 'model' } }, false)]
      : reply.pieces.map((piece) => response({ content: { parts: [{ text: piece }], role: 'model' } }, false));
  const last = response({ content: { parts: [{ text: '' }], role: 'model' }, finishReason: finishReason(reply) }, true);
  const error = JSON.stringify(geminiStreamError(controls.errorCode));

  if (ctx.query.get('alt') === 'sse') {
    await writeStream(
      ctx.res,
      {
        contentType: SSE_CONTENT_TYPE,
        content: chunks.map(sseChunk),
        tail: sseChunk(last),
        inBandError: sseChunk(error),
      },
      controls,
      ctx.signal,
    );
    return;
  }
  // Without alt=sse: one JSON array, its elements written as they are produced.
  const errorAfter = controls.streamErrorAfterChunks ?? 0;
  await writeStream(
    ctx.res,
    {
      contentType: 'application/json; charset=UTF-8',
      head: '[',
      content: chunks.map((chunk, i) => (i === 0 ? chunk : ARRAY_SEPARATOR + chunk)),
      tail: `${chunks.length > 0 ? ARRAY_SEPARATOR : ''}${last}]`,
      inBandError: `${errorAfter > 0 ? ARRAY_SEPARATOR : ''}${error}]`,
    },
    controls,
    ctx.signal,
  );
}
