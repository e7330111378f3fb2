/** Public API of the fake provider, for tests and benchmarks that run it in-process. */
export { startFakeProvider, type FakeProvider, type FakeProviderOptions } from './fake-provider.js';
export {
  BUILTIN_CONTROLS,
  InvalidControlError,
  type FakeControls,
  type FakeControlsPatch,
  type ResolvedControls,
} from './fake-controls.js';
export type { FakeControlSnapshot, FakeDefaultsPatch } from './control-state.js';
export { CONTROL_HEADERS } from './control-headers.js';
export { fakeAnswer, type FakeAnswer } from './fake-answer.js';
export {
  fakeAnswerLength,
  fakePromptTokens,
  fakeTokenCounts,
  fakeUsage,
  openAIUsage,
  promptCharacters,
  type FakeTokenCounts,
  type FakeUsage,
} from './fake-usage.js';
export { fakeToolInput, argumentPieces } from './fake-tool-call.js';
export type { DialectName, RecordedAuth } from './dialect.js';
export { DEFAULT_ANTHROPIC_MODELS } from './anthropic-models.handler.js';
export { DEFAULT_GEMINI_MODELS } from './gemini-models.handler.js';
export { DEFAULT_EMBEDDING_DIMENSIONS, fakeEmbedding } from './embeddings.handler.js';
export { FAKE_SPEECH, FAKE_SPEECH_BYTES } from './speech.handler.js';
export { FAKE_FLAG_MARKER } from './moderations.handler.js';
export { FAKE_PNG_BASE64 } from './images.handler.js';
export { DEFAULT_FAKE_MODELS } from './models.handler.js';
export type { RecordedRequest } from './request-log.js';
export type { OpenAIErrorBody, OpenAIErrorObject } from './openai-error.js';
export type { AnthropicErrorBody } from './anthropic-error.js';
export type { GeminiErrorBody } from './gemini-error.js';
