import { isJsonObject, type JsonObject } from './body-fields.js';

function pushString(out: string[], value: unknown): void {
  if (typeof value === 'string' && value.length > 0) out.push(value);
}

/**
 * The generated text of one choice, for counting output tokens when the
 * upstream reports no usage: a legacy completion's `text`, or a chat
 * message's / stream delta's content, refusal and tool-call arguments
 * (all of which the model produced and the provider bills).
 */
export function choiceText(choice: unknown, out: string[] = []): string[] {
  if (!isJsonObject(choice)) return out;
  pushString(out, choice.text);
  const message: unknown = choice.message ?? choice.delta;
  if (!isJsonObject(message)) return out;
  pushString(out, message.content);
  pushString(out, message.refusal);
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (const call of calls as unknown[]) {
      const fn = isJsonObject(call) ? call.function : undefined;
      if (isJsonObject(fn)) {
        pushString(out, fn.name);
        pushString(out, fn.arguments);
      }
    }
  }
  return out;
}

/** The text of every choice of a complete (non-streamed) answer, one string per choice. */
export function responseTexts(json: JsonObject | null): string[] {
  const choices = json?.choices;
  if (!Array.isArray(choices)) return [];
  return (choices as unknown[]).map((choice) => choiceText(choice).join(''));
}
