import { describe, expect, it } from '@jest/globals';
import { ok, RouterSubjects, type ChannelInput, type Reply } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { checkRequest } from '@tollgate/nats/server';
import { normaliseChannelInput, type ChannelFields } from './channel-input.js';

const valid: ChannelInput = {
  name: ' primary ',
  baseUrl: 'https://api.openai.com/v1/',
  apiKey: 'sk-secret-upstream-key-1234',
  models: ['gpt-4o', 'gpt-4o', ' gpt-4o-mini '],
};

/** What a refused request is answered with: a denial. */
function denialOf(answer: Reply<unknown>): Reply<never> {
  if (answer.ok) throw new Error('a refused request was answered with a value');
  return answer;
}

/** A channel as the router takes it off NATS: checked against its subject's schema, then normalised. */
function sut(input: unknown, mode: 'create' | 'update' = 'create'): Reply<ChannelFields> {
  if (mode === 'update') {
    const checked = checkRequest(RouterSubjects.updateChannel, { channelId: 1, patch: input });
    return checked.ok ? ok(normaliseChannelInput(checked.request.patch)) : denialOf(checked.answer);
  }
  const checked = checkRequest(RouterSubjects.createChannel, input);
  return checked.ok ? ok(normaliseChannelInput(checked.request)) : denialOf(checked.answer);
}

/** Runs the check and returns the refused param, or null when accepted. */
function refusedParam(input: Record<string, unknown>, mode: 'create' | 'update' = 'create'): string | null {
  const reply = sut(input, mode);
  if (reply.ok) return null;
  expect(reply.denial.reason).toBe(DenialReason.InvalidRequest);
  expect(reply.denial.params?.detail).toBeTruthy();
  return reply.denial.params?.param ?? '';
}

describe(normaliseChannelInput.name, () => {
  it('normalises a valid channel: trimmed, deduplicated, no trailing slash', () => {
    expect(sut(valid)).toEqual({
      ok: true,
      value: {
        name: 'primary',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-secret-upstream-key-1234',
        models: ['gpt-4o', 'gpt-4o-mini'],
      },
    });
  });

  it.each(['name', 'baseUrl', 'apiKey', 'models'])('requires %s on create', (field) => {
    const input: Record<string, unknown> = { ...valid };
    delete input[field];
    expect(refusedParam(input)).toBe({ name: 'name', baseUrl: 'base_url', apiKey: 'api_key', models: 'models' }[field]);
  });

  it('requires nothing on update, and checks what is given', () => {
    expect(sut({}, 'update')).toEqual({ ok: true, value: {} });
    expect(refusedParam({ weight: 0 }, 'update')).toBe('weight');
    expect(refusedParam({ timeouts: { connectMs: 0 } }, 'update')).toBe('timeouts.connect_ms');
  });

  it.each([
    ['ftp://example.com/v1', 'base_url'],
    ['javascript:alert(1)', 'base_url'],
    ['not a url', 'base_url'],
    ['https://user:pass@example.com/v1', 'base_url'],
    ['https://example.com/v1?x=1', 'base_url'],
  ])('refuses base URL %p', (baseUrl, param) => {
    expect(refusedParam({ ...valid, baseUrl })).toBe(param);
  });

  it('accepts http and https base URLs', () => {
    expect(refusedParam({ ...valid, baseUrl: 'http://127.0.0.1:8080/v1' })).toBeNull();
    expect(refusedParam({ ...valid, baseUrl: 'https://example.com' })).toBeNull();
  });

  it.each([
    [{ type: 'cohere' }, 'type'],
    [{ apiKey: '' }, 'api_key'],
    [{ apiKey: 'has space' }, 'api_key'],
    [{ apiKey: 'line\nbreak' }, 'api_key'],
    [{ models: [] }, 'models'],
    [{ models: 'gpt-4o' }, 'models'],
    [{ models: ['gpt-4o', ''] }, 'models'],
    [{ modelMapping: ['a'] }, 'model_mapping'],
    [{ modelMapping: { a: 1 } }, 'model_mapping'],
    [{ modelMapping: { a: '' } }, 'model_mapping'],
    [{ groups: [] }, 'groups'],
    [{ groups: ['has space'] }, 'groups'],
    [{ priority: 1.5 }, 'priority'],
    [{ priority: '1' }, 'priority'],
    [{ weight: 0 }, 'weight'],
    [{ weight: -3 }, 'weight'],
    [{ status: 'auto_disabled' }, 'status'],
    [{ status: 'paused' }, 'status'],
    [{ timeouts: 5 }, 'timeouts'],
    [{ timeouts: { connectMs: 0 } }, 'timeouts.connect_ms'],
    [{ timeouts: { firstByteMs: 1.5 } }, 'timeouts.first_byte_ms'],
    [{ timeouts: { idleMs: 'x' } }, 'timeouts.idle_ms'],
    [{ name: '   ' }, 'name'],
  ])('refuses %p with param %p', (patch, param) => {
    expect(refusedParam({ ...valid, ...patch })).toBe(param);
  });

  it('never echoes the api key in a refusal', () => {
    const reply = sut({ ...valid, apiKey: 'sk-leak me' });
    expect(reply.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain('sk-leak');
  });

  it('keeps optional fields, with null timeouts meaning the configured default', () => {
    const optional = {
      modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      groups: ['default', 'vip'],
      priority: -2,
      weight: 5,
      status: 'disabled',
      timeouts: { connectMs: 1000, idleMs: null },
    };
    const reply = sut({ ...valid, ...optional });
    expect(reply.ok && reply.value).toMatchObject(optional);
  });
});
