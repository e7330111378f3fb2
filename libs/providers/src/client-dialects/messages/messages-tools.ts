import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from '../../adapters/anthropic/invalid-param.js';
import { isClientTool } from './messages-native-only.js';

/** Anthropic's client tools (`{ name, description, input_schema }`) as chat function tools. */
export function chatTools(tools: unknown): JsonObject[] {
  if (!Array.isArray(tools)) throw invalidParam('tools', 'tools must be an array');
  return tools.map((tool: unknown, i) => {
    const at = `tools[${i}]`;
    if (!isJsonObject(tool)) throw invalidParam(at, `${at} must be an object`);
    if (!isClientTool(tool)) {
      throw invalidParam(
        `${at}.type`,
        `${at}.type ${String(tool.type)} is one of Anthropic's own tools: chat channels have no counterpart for it`,
      );
    }
    if (typeof tool.name !== 'string') throw invalidParam(`${at}.name`, `${at}.name must be a string`);
    if (!isJsonObject(tool.input_schema)) {
      throw invalidParam(`${at}.input_schema`, `${at}.input_schema must be a JSON Schema object`);
    }
    const fn: JsonObject = { name: tool.name };
    if (typeof tool.description === 'string') fn.description = tool.description;
    fn.parameters = tool.input_schema;
    // Anthropic's strict tool use makes the same promise as OpenAI's: arguments that match the schema.
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

/**
 * Anthropic's `tool_choice` as chat's `tool_choice`, and its
 * `disable_parallel_tool_use` as `parallel_tool_calls: false` (which OpenAI
 * takes only with tools, and which `none` has no use for).
 */
export function chatToolChoice(choice: unknown, hasTools: boolean): JsonObject {
  if (!isJsonObject(choice)) throw invalidParam('tool_choice', 'tool_choice must be an object');
  const out: JsonObject = {};
  switch (choice.type) {
    case 'auto':
      out.tool_choice = 'auto';
      break;
    case 'any':
      out.tool_choice = 'required';
      break;
    case 'none':
      out.tool_choice = 'none';
      break;
    case 'tool':
      if (typeof choice.name !== 'string') throw invalidParam('tool_choice.name', 'tool_choice.name must be a string');
      out.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    default:
      throw invalidParam('tool_choice.type', 'tool_choice.type must be auto, any, tool or none');
  }
  const disable = choice.disable_parallel_tool_use;
  if (disable !== undefined && typeof disable !== 'boolean') {
    throw invalidParam(
      'tool_choice.disable_parallel_tool_use',
      'tool_choice.disable_parallel_tool_use must be a boolean',
    );
  }
  if (disable === true && hasTools && choice.type !== 'none') out.parallel_tool_calls = false;
  return out;
}
