import { isJsonObject, type JsonObject } from '../../json.js';
import { refuse } from './gemini-refusal.js';
import { geminiSchema } from './gemini-schema.js';

/** `tools` and `toolConfig` of a generateContent request; absent when the client offered no tools. */
export interface GeminiTools {
  tools?: JsonObject[];
  toolConfig?: JsonObject;
}

/** A parameter schema that declares nothing: Gemini refuses an OBJECT without properties, so none is sent. */
const declaresNothing = (schema: JsonObject): boolean =>
  schema.type === 'OBJECT' && schema.properties === undefined && schema.anyOf === undefined;

function declaration(tool: unknown, at: string): JsonObject {
  if (!isJsonObject(tool)) throw refuse(at, `${at} must be an object`);
  if (tool.type !== 'function') throw refuse(`${at}.type`, `${at}.type must be function on gemini channels`);
  const fn = tool.function;
  if (!isJsonObject(fn)) throw refuse(`${at}.function`, `${at}.function must be an object`);
  if (typeof fn.name !== 'string' || fn.name === '') {
    throw refuse(`${at}.function.name`, `${at}.function.name must be a non-empty string`);
  }
  const out: JsonObject = { name: fn.name };
  if (typeof fn.description === 'string') out.description = fn.description;
  // `strict` is OpenAI's promise to follow the schema exactly; Gemini's function calling has no such switch.
  if (fn.parameters !== undefined && fn.parameters !== null) {
    const parameters = geminiSchema(fn.parameters, `${at}.function.parameters`);
    if (!declaresNothing(parameters)) out.parameters = parameters;
  }
  return out;
}

function calledName(choice: JsonObject, at: string): string {
  const fn = choice.function;
  const name = isJsonObject(fn) ? fn.name : undefined;
  if (typeof name !== 'string' || name === '')
    throw refuse(`${at}.function.name`, `${at}.function.name must name a tool`);
  return name;
}

/** OpenAI's tool_choice as Gemini's functionCallingConfig: auto → AUTO, none → NONE, required → ANY. */
function callingConfig(choice: unknown, names: ReadonlySet<string>): JsonObject {
  const at = 'tool_choice';
  if (choice === undefined || choice === null || choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (isJsonObject(choice) && choice.type === 'function') {
    const name = calledName(choice, at);
    if (!names.has(name)) throw refuse(`${at}.function.name`, `${at}.function.name must name one of the tools`);
    return { mode: 'ANY', allowedFunctionNames: [name] };
  }
  if (isJsonObject(choice) && choice.type === 'allowed_tools' && isJsonObject(choice.allowed_tools)) {
    const allowed = choice.allowed_tools;
    // Gemini restricts the callable functions only while forcing a call (ANY).
    if (allowed.mode !== 'required') {
      throw refuse(`${at}.allowed_tools.mode`, `${at}.allowed_tools.mode must be required on gemini channels`);
    }
    if (!Array.isArray(allowed.tools) || allowed.tools.length === 0) {
      throw refuse(`${at}.allowed_tools.tools`, `${at}.allowed_tools.tools must be a non-empty array`);
    }
    const allowedNames = allowed.tools.map((tool: unknown, k) => {
      const toolAt = `${at}.allowed_tools.tools[${k}]`;
      if (!isJsonObject(tool)) throw refuse(toolAt, `${toolAt} must be an object`);
      return calledName(tool, toolAt);
    });
    return { mode: 'ANY', allowedFunctionNames: allowedNames };
  }
  throw refuse(at, `${at} must be auto, none, required, a function or allowed_tools`);
}

/** `tools` (functions only: Gemini's built-in tools have no OpenAI form) and `tool_choice`. */
export function geminiTools(tools: unknown, toolChoice: unknown): GeminiTools {
  if (tools === undefined || tools === null || (Array.isArray(tools) && tools.length === 0)) {
    if (toolChoice === 'required' || isJsonObject(toolChoice)) {
      throw refuse('tool_choice', 'tool_choice needs tools to choose from');
    }
    return {};
  }
  if (!Array.isArray(tools)) throw refuse('tools', 'tools must be an array');
  const declarations = tools.map((tool: unknown, i) => declaration(tool, `tools[${i}]`));
  const names = new Set(declarations.map((d) => d.name as string));
  return {
    tools: [{ functionDeclarations: declarations }],
    toolConfig: { functionCallingConfig: callingConfig(toolChoice, names) },
  };
}
