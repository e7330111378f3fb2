import { isJsonObject, type JsonObject } from '../../json.js';
import { finishReason, openAiUsage } from './anthropic-usage.js';

export const unixSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A Messages API answer as a `chat.completion`: the text blocks joined into
 * the message's content (null when there are none, as OpenAI sends it with
 * tool calls only), each tool_use block a tool call with its input as the
 * arguments' JSON, and the thinking text as `reasoning_content` (the field
 * DeepSeek-style OpenAI answers use; redacted thinking is dropped, there is
 * nothing readable in it).
 */
export function chatCompletionOf(message: JsonObject): JsonObject {
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: JsonObject[] = [];
  const blocks = Array.isArray(message.content) ? (message.content as unknown[]) : [];
  for (const block of blocks) {
    if (!isJsonObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'thinking' && typeof block.thinking === 'string') thinking.push(block.thinking);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }

  const reply: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null, refusal: null };
  if (thinking.length > 0) reply.reasoning_content = thinking.join('');
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  const completion: JsonObject = {
    id: message.id,
    object: 'chat.completion',
    created: unixSeconds(),
    model: message.model,
    choices: [{ index: 0, message: reply, logprobs: null, finish_reason: finishReason(message.stop_reason) }],
  };
  // Without Anthropic's counts there are none to report: the edge then counts the tokens itself, rather than billing 0.
  if (isJsonObject(message.usage)) completion.usage = openAiUsage(message.usage);
  return completion;
}
