import OpenAI from 'openai';
import { documentedFetch } from './openapi-conformance.js';
import type { Suite } from './suite.js';

/**
 * The official SDK pointed at the suite's edge; no SDK retries, so each call is
 * one request. Every answer is checked against the edge's OpenAPI document.
 */
export const openaiClient = (suite: Suite, key: string): OpenAI =>
  new OpenAI({ apiKey: key, baseURL: `${suite.edgeUrl}/v1`, maxRetries: 0, fetch: documentedFetch });

/** The APIError a call ends with (failing the test if it succeeds). */
export async function apiError(call: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call();
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** What a request costs at the $1 / $2 per million tokens the tests price with: 1 and 2 micro-units a token. */
export const tokenCost = (usage: { prompt_tokens: number; completion_tokens?: number }): bigint =>
  BigInt(usage.prompt_tokens) + 2n * BigInt(usage.completion_tokens ?? 0);

/** A function tool the fake provider calls when offered tools, in every dialect. */
export const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} satisfies OpenAI.Chat.Completions.ChatCompletionTool;
