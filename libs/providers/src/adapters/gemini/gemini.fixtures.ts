/**
 * Gemini API payloads for the adapter's specs, in the shapes Google's
 * Generative Language API reference documents (ai.google.dev/api:
 * generate-content, embeddings, models, and the error model of
 * cloud.google.com/apis/design/errors). The texts follow the guides'
 * examples (text generation, function calling, thought signatures,
 * streaming with `alt=sse`); ids and signatures are shortened.
 */

/** generateContent, text generation guide ("Explain how AI works in a few words"), a 2.5 model that thought. */
export const TEXT_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [{ text: 'AI learns patterns from data to make predictions or decisions.' }],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 8,
    candidatesTokenCount: 12,
    totalTokenCount: 1012,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }],
    thoughtsTokenCount: 992,
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mTxraNDQBc2t1MkP8_HxmQs',
};

/** generateContent, function calling guide (schedule_meeting), on Gemini 3: the call carries a thought signature. */
export const FUNCTION_CALL_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          {
            functionCall: {
              name: 'schedule_meeting',
              args: { attendees: ['Bob', 'Alice'], date: '2025-03-14', time: '10:00', topic: 'Q3 planning' },
            },
            thoughtSignature: 'CiQB0e2Kb7xQ1c9fQ2bWm3D',
          },
        ],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 111,
    candidatesTokenCount: 30,
    totalTokenCount: 210,
    cachedContentTokenCount: 64,
    thoughtsTokenCount: 69,
  },
  modelVersion: 'gemini-3-flash-preview',
  responseId: 'kTxraKXgB8-Y1MkPqK3e8Qk',
};

/** Parallel function calling (the guide's party example): two calls in one turn, the first signed. */
export const PARALLEL_CALLS_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          { functionCall: { name: 'power_disco_ball', args: { power: true } }, thoughtSignature: 'Cp4BAdHtim9' },
          { functionCall: { name: 'start_music', args: { energetic: true, loud: true } } },
        ],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 98, candidatesTokenCount: 21, totalTokenCount: 119 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'c0RraN2RHJzD1MkP0qWByQE',
};

/** A prompt the safety filters blocked: no candidates, promptFeedback.blockReason. */
export const BLOCKED_PROMPT_RESPONSE = {
  promptFeedback: {
    blockReason: 'SAFETY',
    safetyRatings: [
      { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' },
    ],
  },
  usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
  modelVersion: 'gemini-2.5-flash',
};

/** A candidate cut by maxOutputTokens, and one stopped by the recitation filter (candidateCount 2). */
export const TWO_CANDIDATES_RESPONSE = {
  candidates: [
    { content: { parts: [{ text: 'Once upon a' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 },
    { content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'RECITATION', index: 1 },
  ],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 },
  modelVersion: 'gemini-2.5-flash-lite',
  responseId: 'b1RraP3kJ5y71MkP4reP2As',
};

const sse = (events: unknown[]): string => events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');

/**
 * streamGenerateContent?alt=sse: each event a GenerateContentResponse with
 * the new text; finishReason and the complete usage in the last one.
 */
export const TEXT_STREAM = sse([
  {
    candidates: [{ content: { parts: [{ text: 'The opposite' }], role: 'model' }, index: 0 }],
    usageMetadata: {
      promptTokenCount: 10,
      totalTokenCount: 10,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 10 }],
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'WHVraLbWCq-Y1MkPhsOZoAY',
  },
  {
    candidates: [{ content: { parts: [{ text: ' of hot is cold.' }], role: 'model' }, index: 0 }],
    usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'WHVraLbWCq-Y1MkPhsOZoAY',
  },
  {
    candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 10,
      candidatesTokenCount: 7,
      totalTokenCount: 45,
      thoughtsTokenCount: 28,
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'WHVraLbWCq-Y1MkPhsOZoAY',
  },
]);

/** A streamed function call: Gemini sends it whole, in one event, with the finish reason. */
export const FUNCTION_CALL_STREAM = sse([
  {
    candidates: [
      {
        content: {
          parts: [
            {
              functionCall: { name: 'get_current_temperature', args: { location: 'London' } },
              thoughtSignature: 'CiQB0e2Kb3x',
            },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 74, candidatesTokenCount: 18, totalTokenCount: 92 },
    modelVersion: 'gemini-3-flash-preview',
    responseId: 'jHVraJ7-Mo2-1MkP0oHCwQc',
  },
]);

/** A stream that fails midway: Google's error object as an event. */
export const ERROR_STREAM = sse([
  {
    candidates: [{ content: { parts: [{ text: 'Here is' }], role: 'model' }, index: 0 }],
    usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 },
    modelVersion: 'gemini-2.5-pro',
    responseId: 'tHVraNSaFZ2-1MkP2K2I0Ac',
  },
  { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
]);

/** batchEmbedContents (embeddings guide, three texts; vectors shortened to 4 of gemini-embedding-001's values). */
export const BATCH_EMBED_RESPONSE = {
  embeddings: [
    { values: [-0.0223, 0.0087, 0.0139, -0.0712] },
    { values: [0.0154, -0.0302, 0.0411, 0.0025] },
    { values: [0.5, -0.25, 0.125, 1] },
  ],
};

/** models.list (abridged to two entries). */
export const MODELS_RESPONSE = {
  models: [
    {
      name: 'models/gemini-2.5-flash',
      version: '001',
      displayName: 'Gemini 2.5 Flash',
      inputTokenLimit: 1048576,
      outputTokenLimit: 65536,
      supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
      thinking: true,
    },
    {
      name: 'models/gemini-embedding-001',
      version: '001',
      displayName: 'Gemini Embedding 001',
      inputTokenLimit: 2048,
      outputTokenLimit: 1,
      supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens'],
    },
  ],
  nextPageToken: 'Ch5tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE=',
};

/** The answer to a bad key: 400 INVALID_ARGUMENT with the ErrorInfo reason API_KEY_INVALID. */
export const API_KEY_INVALID_ERROR = {
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
        locale: 'en-US',
        message: 'API key not valid. Please pass a valid API key.',
      },
    ],
  },
};

/** 429: a quota exhausted, with the QuotaFailure and RetryInfo details. */
export const RESOURCE_EXHAUSTED_ERROR = {
  error: {
    code: 429,
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
    status: 'RESOURCE_EXHAUSTED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
            quotaValue: '10',
          },
        ],
      },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Learn more', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
    ],
  },
};

export const UNAVAILABLE_ERROR = {
  error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
};

export const PERMISSION_DENIED_ERROR = {
  error: {
    code: 403,
    message: 'Your API key was reported as leaked. Please use another API key.',
    status: 'PERMISSION_DENIED',
  },
};

export const NOT_FOUND_ERROR = {
  error: {
    code: 404,
    message:
      'models/gemini-0.5-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    status: 'NOT_FOUND',
  },
};

export const INVALID_ARGUMENT_ERROR = {
  error: {
    code: 400,
    message:
      '* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be less than or equal to 65536.\n',
    status: 'INVALID_ARGUMENT',
  },
};
