import type { ChannelType } from '@tollgate/contracts';
import { openAiAdapter } from './openai.adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';

/** Every channel type's adapter; a Record over the type, so a type without one does not compile. */
export const PROVIDERS: Readonly<Record<ChannelType, ProviderAdapter>> = {
  openai: openAiAdapter,
};

export const providerFor = (type: ChannelType): ProviderAdapter => PROVIDERS[type];
