import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../crypto/secret-box.js';
import { ChannelEntity } from './channel.entity.js';
import { apiKeyLast4, toChannelView } from './channel-view.js';

const API_KEY = 'sk-proj-VerySecretUpstreamKey-9f3K';
const DEFAULTS = { connectMs: 5000, firstByteMs: 120000, idleMs: 60000 };

function entity(): ChannelEntity {
  const channel = new ChannelEntity();
  Object.assign(channel, {
    id: 7,
    name: 'primary',
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyCiphertext: new SecretBox(randomBytes(32)).seal(API_KEY),
    apiKeyLast4: apiKeyLast4(API_KEY),
    models: ['gpt-4o'],
    modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
    groups: ['default'],
    priority: 1,
    weight: 2,
    status: 'enabled',
    statusReason: null,
    connectTimeoutMs: 1000,
    firstByteTimeoutMs: null,
    idleTimeoutMs: null,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    updatedAt: new Date('2025-01-02T00:00:00Z'),
  });
  return channel;
}

describe(toChannelView.name, () => {
  it('never contains the api key or its ciphertext, only the last 4 characters', () => {
    const channel = entity();
    const view = toChannelView(channel, DEFAULTS);
    const json = JSON.stringify(view);
    expect(json).not.toContain(API_KEY);
    expect(json).not.toContain(channel.apiKeyCiphertext);
    expect(json).not.toContain(channel.apiKeyCiphertext.slice(3, 20));
    expect(Object.keys(view)).not.toEqual(expect.arrayContaining(['apiKey']));
    expect(Object.keys(view)).not.toEqual(expect.arrayContaining(['apiKeyCiphertext']));
    expect(view.apiKeyLast4).toBe('-9f3K'.slice(-4));
  });

  it('shows the effective timeouts: the channel own, else the configured defaults', () => {
    expect(toChannelView(entity(), DEFAULTS).timeouts).toEqual({ connectMs: 1000, firstByteMs: 120000, idleMs: 60000 });
  });
});

describe(apiKeyLast4.name, () => {
  it('shows the last 4 characters of a real key, and none of a short one', () => {
    expect(apiKeyLast4('sk-abcdefgh1234')).toBe('1234');
    expect(apiKeyLast4('ollama')).toBe('');
  });
});
