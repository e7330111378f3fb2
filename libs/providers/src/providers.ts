import type { ChannelType, UpstreamEndpoint } from '@tollgate/contracts';
import { anthropicAdapter } from './adapters/anthropic/anthropic.adapter.js';
import { azureAdapter } from './adapters/azure.adapter.js';
import { geminiAdapter } from './adapters/gemini/gemini.adapter.js';
import { openAiAdapter } from './adapters/openai.adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** Every channel type's adapter; a Record over the type, so a type without one does not compile. */
export const PROVIDERS: Readonly<Record<ChannelType, ProviderAdapter>> = {
  openai: openAiAdapter,
  azure: azureAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export const providerFor = (type: ChannelType): ProviderAdapter => PROVIDERS[type];

export const servesEndpoint = (type: ChannelType, endpoint: UpstreamEndpoint): boolean =>
  PROVIDERS[type].endpoints.has(endpoint);
