import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from './invalid-param.js';

/** A function without parameters still needs an input schema on Anthropic. */
const NO_PARAMETERS = { type: 'object', properties: {} };

/** OpenAI's function tools as Anthropic's client tools: `{ name, description, input_schema }`. */
export function anthropicTools(tools: unknown[]): JsonObject[] {
  return tools.map((tool: unknown, i) => {
    const param = `tools[${i}]`;
    if (!isJsonObject(tool) || tool.type !== 'function') {
      throw invalidParam(
        `${param}.type`,
        `${param}.type must be function: anthropic channels take function tools only`,
      );
    }
    const fn = tool.function;
    if (!isJsonObject(fn) || typeof fn.name !== 'string') {
      throw invalidParam(`${param}.function.name`, `${param}.function.name must be a string`);
    }
    const parameters = fn.parameters ?? NO_PARAMETERS;
    if (!isJsonObject(parameters)) {
      throw invalidParam(`${param}.function.parameters`, `${param}.function.parameters must be a JSON Schema object`);
    }
    const out: JsonObject = { name: fn.name, input_schema: parameters };
    if (typeof fn.description === 'string') out.description = fn.description;
    // Anthropic's strict tool use is the same promise as OpenAI's: arguments that match the schema.
    if (typeof fn.strict === 'boolean') out.strict = fn.strict;
    return out;
  });
}

function choiceOf(choice: unknown): JsonObject {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (isJsonObject(choice) && choice.type === 'function') {
    const fn = choice.function;
    if (isJsonObject(fn) && typeof fn.name === 'string') return { type: 'tool', name: fn.name };
    throw invalidParam('tool_choice.function.name', 'tool_choice.function.name must be a string');
  }
  throw invalidParam(
    'tool_choice',
    "tool_choice must be 'auto', 'none', 'required' or { type: 'function', function: { name } } on anthropic channels",
  );
}

/**
 * `tool_choice` and `parallel_tool_calls` as Anthropic's one `tool_choice`:
 * OpenAI's "no parallel calls" is Anthropic's `disable_parallel_tool_use`
 * on whichever choice applies (auto when none was given). Undefined when
 * neither says anything Anthropic's default does not.
 */
export function anthropicToolChoice(body: JsonObject, hasTools: boolean): JsonObject | undefined {
  const parallel = body.parallel_tool_calls;
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') {
    throw invalidParam('parallel_tool_calls', 'parallel_tool_calls must be a boolean');
  }
  const choice = body.tool_choice === undefined || body.tool_choice === null ? undefined : choiceOf(body.tool_choice);
  // Without tools there are no calls to run in parallel; 'none' has no such flag on Anthropic.
  if (parallel !== false || !hasTools || choice?.type === 'none') return choice;
  return { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
}
