import OpenAI from 'openai';
import { documentedFetch } from './openapi-conformance.js';
import type { Suite } from './suite.js';

/**
 * The official SDK pointed at the suite's edge; no SDK retries, so each call is
 * one request. Every answer is checked against the edge's OpenAPI document.
 */
export const openaiClient = (suite: Suite, key: string): OpenAI =>
  new OpenAI({ apiKey: key, baseURL: `${suite.edgeUrl}/v1`, maxRetries: 0, fetch: documentedFetch });
