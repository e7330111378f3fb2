/**
 * OpenAI's Responses API — `POST /v1/responses` (and Azure's `POST /openai/v1/responses`), `GET` and `DELETE
 * /v1/responses/{id}`: a Response object, or the Responses event stream. The reply is the fake's usual one
 * (fake-reply.ts): the text, or a call to the first function tool (or the one `tool_choice` names) unless
 * the last input item is a `function_call_output`. Each response is stored unless `store: false`;
 * `previous_response_id` must name a stored one, whose tokens count as this request's input (OpenAI bills
 * the conversation it continues).
 */
import { requiredString } from './body-params.js';
import { fakeTokenCounts, type FakeTokenCounts } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { OfferedTool } from './fake-tool-call.js';
import { planReply, type FakeReply, type ToolChoice } from './fake-reply.js';
import { invalidRequest, OpenAIHttpError, streamErrorObject } from './openai-error.js';
import type { FakeHandler, FakeRequestContext } from './request-context.js';
import type { ResponsesStore } from './responses-store.js';
import { SSE_CONTENT_TYPE, sseEvent, writeStream } from './sse-stream.js';

type Json = Record<string, unknown>;

/** `tools: [{type: "function", name, parameters}]`; built-in tools (web_search…) are not callable here. */
function offeredTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  return tools
    .filter((tool): tool is Json => isRecord(tool) && tool.type === 'function' && typeof tool.name === 'string')
    .map((tool) => ({ name: tool.name as string, schema: tool.parameters }));
}

function toolChoice(choice: unknown): ToolChoice {
  if (choice === 'none') return { mode: 'none' };
  if (isRecord(choice) && choice.type === 'function' && typeof choice.name === 'string') {
    return { mode: 'named', name: choice.name };
  }
  return { mode: 'auto' };
}

/**
 * The request's prompt in chat's shape, so the usage formula is chat's: `instructions`, the string input,
 * and each input item's `content` (messages) or `output` (function results) count; calls and reasoning items
 * count nothing, as chat's `tool_calls` do not.
 */
export function countedPrompt(body: Readonly<Json>): Json {
  const messages: unknown[] = [];
  if (typeof body.instructions === 'string') messages.push({ content: body.instructions });
  if (typeof body.input === 'string') messages.push({ content: body.input });
  if (Array.isArray(body.input)) {
    for (const item of body.input) if (isRecord(item)) messages.push({ content: item.content ?? item.output });
  }
  return { messages };
}

function responsesUsage(counts: FakeTokenCounts): Json {
  return {
    input_tokens: counts.input,
    input_tokens_details: { cached_tokens: counts.cacheRead },
    output_tokens: counts.output,
    output_tokens_details: { reasoning_tokens: counts.reasoning },
    total_tokens: counts.input + counts.output,
  };
}

const notFound = (id: string): OpenAIHttpError =>
  new OpenAIHttpError(404, {
    message: `Response with id '${id}' not found.`,
    type: 'invalid_request_error',
    param: null,
    code: null,
  });

/** What `previous_response_id` adds to the input: the whole stored exchange, or OpenAI's 400 for an unknown id. */
function previousTokens(body: Readonly<Json>, store: ResponsesStore): number {
  const id = body.previous_response_id;
  if (id === undefined || id === null) return 0;
  if (typeof id !== 'string') {
    throw invalidRequest("Invalid type for 'previous_response_id': expected a string.", 'previous_response_id');
  }
  const previous = store.find(id);
  if (!previous) {
    throw invalidRequest(
      `Previous response with id '${id}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  }
  const usage = previous.usage;
  return isRecord(usage) && typeof usage.total_tokens === 'number' ? usage.total_tokens : 0;
}

/** The Response without its output, status and usage: what it echoes of the request. */
function responseShell(body: Readonly<Json>, id: string, model: string, createdAt: number): Json {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null, ...(isRecord(body.reasoning) ? body.reasoning : {}) },
    service_tier: 'default',
    store: body.store !== false,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' }, ...(isRecord(body.text) ? body.text : {}) },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

interface Plan {
  reply: FakeReply;
  itemId: string;
  callId: string;
  outputText: string;
}

function outputItem(plan: Plan, status: string, text: string, args: string): Json {
  const { reply } = plan;
  if (reply.kind === 'tool_call') {
    return { id: plan.itemId, type: 'function_call', status, arguments: args, call_id: plan.callId, name: reply.name };
  }
  return {
    id: plan.itemId,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [{ type: 'output_text', annotations: [], logprobs: [], text }],
  };
}

async function createResponse(ctx: FakeRequestContext, store: ResponsesStore): Promise<void> {
  const { body, controls } = ctx;
  const model = requiredString(body, 'model');
  const input = body.input;
  if (input !== undefined && input !== null && typeof input !== 'string' && !Array.isArray(input)) {
    throw invalidRequest(
      "Invalid type for 'input': expected a string or an array of input items.",
      'input',
      'invalid_type',
    );
  }
  const context = previousTokens(body, store);
  const last: unknown = Array.isArray(input) ? (input as unknown[]).at(-1) : undefined;
  const reply = planReply(
    {
      tools: offeredTools(body.tools),
      toolChoice: toolChoice(body.tool_choice),
      afterToolResult: isRecord(last) && last.type === 'function_call_output',
      outputLimit: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined,
    },
    controls,
  );
  const counts = fakeTokenCounts(countedPrompt(body), reply.pieces.length, controls);
  const usage = controls.omitUsage ? undefined : responsesUsage({ ...counts, input: counts.input + context });
  const cut = reply.kind === 'text' && reply.finish === 'length';
  const status = cut ? 'incomplete' : 'completed';
  const plan: Plan = {
    reply,
    itemId: reply.kind === 'tool_call' ? `fc_fake_${ctx.seq}` : `msg_fake_${ctx.seq}`,
    callId: `call_fake_${ctx.seq}`,
    outputText: reply.kind === 'text' ? reply.text : '',
  };
  const shell = responseShell(body, `resp_fake_${ctx.seq}`, model, Math.floor(Date.now() / 1000));
  const final: Json = {
    ...shell,
    status,
    incomplete_details: cut ? { reason: 'max_output_tokens' } : null,
    output: [outputItem(plan, status, plan.outputText, reply.kind === 'tool_call' ? reply.arguments : '')],
    usage,
  };
  if (!usage) delete final.usage; // omitUsage: no usage field at all
  if (body.store !== false) store.save(final);

  if (body.stream !== true) {
    sendJson(ctx.res, 200, JSON.stringify(final));
    return;
  }
  await streamResponse(ctx, plan, shell, final);
}

/** The Responses event stream of one reply: the same events, in the same order, as OpenAI sends. */
async function streamResponse(ctx: FakeRequestContext, plan: Plan, shell: Json, final: Json): Promise<void> {
  let sequence = 0;
  const event = (type: string, fields: Json): string =>
    sseEvent(type, JSON.stringify({ type, ...fields, sequence_number: sequence++ }));
  const { reply, itemId } = plan;
  const at = { item_id: itemId, output_index: 0 };
  const part = { ...at, content_index: 0 };
  const item = (status: string) => outputItem(plan, status, plan.outputText, '');

  let head = event('response.created', { response: shell }) + event('response.in_progress', { response: shell });
  head += event('response.output_item.added', { output_index: 0, item: item('in_progress') });
  if (reply.kind === 'text') {
    head += event('response.content_part.added', {
      ...part,
      part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
    });
  }
  const content = reply.pieces.map((piece) =>
    reply.kind === 'text'
      ? event('response.output_text.delta', { ...part, delta: piece, logprobs: [] })
      : event('response.function_call_arguments.delta', { ...at, delta: piece }),
  );
  const errorAfter = ctx.controls.streamErrorAfterChunks;
  const errorSequence = sequence - content.length + Math.min(errorAfter ?? 0, content.length);
  const doneItem = (final.output as Json[])[0];
  let tail = '';
  if (reply.kind === 'text') {
    tail += event('response.output_text.done', { ...part, text: plan.outputText, logprobs: [] });
    tail += event('response.content_part.done', { ...part, part: (doneItem.content as Json[])[0] });
  } else {
    tail += event('response.function_call_arguments.done', { ...at, name: reply.name, arguments: reply.arguments });
  }
  tail += event('response.output_item.done', { output_index: 0, item: doneItem });
  tail += event(final.status === 'completed' ? 'response.completed' : 'response.incomplete', { response: final });

  const failure = streamErrorObject(ctx.controls.errorCode);
  const inBandError =
    sseEvent(
      'error',
      JSON.stringify({
        type: 'error',
        code: failure.code ?? 'server_error',
        message: failure.message,
        param: null,
        sequence_number: errorSequence,
      }),
    ) +
    sseEvent(
      'response.failed',
      JSON.stringify({
        type: 'response.failed',
        response: {
          ...shell,
          status: 'failed',
          error: { code: failure.code ?? 'server_error', message: failure.message },
        },
        sequence_number: errorSequence + 1,
      }),
    );
  await writeStream(
    ctx.res,
    { contentType: SSE_CONTENT_TYPE, head, content, tail, inBandError },
    ctx.controls,
    ctx.signal,
  );
}

/** The three routes over one store; the id is the path's last segment. */
export function createResponsesHandlers(store: ResponsesStore): {
  create: FakeHandler;
  retrieve: FakeHandler;
  remove: FakeHandler;
} {
  const idOf = (path: string): string => decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  return {
    create: (ctx) => createResponse(ctx, store),
    retrieve: (ctx) => {
      const id = idOf(ctx.path);
      const response = store.find(id);
      if (!response) throw notFound(id);
      sendJson(ctx.res, 200, JSON.stringify(response));
    },
    remove: (ctx) => {
      const id = idOf(ctx.path);
      if (!store.delete(id)) throw notFound(id);
      sendJson(ctx.res, 200, JSON.stringify({ id, object: 'response.deleted', deleted: true }));
    },
  };
}
