import OpenAI from 'openai';
import type { Suite } from './suite.js';

/** The official SDK pointed at the suite's edge; no SDK retries, so each call is one request. */
export const openaiClient = (suite: Suite, key: string): OpenAI =>
  new OpenAI({ apiKey: key, baseURL: `${suite.edgeUrl}/v1`, maxRetries: 0 });
