import { describe, expect, it } from '@jest/globals';
import { countText } from './usage-estimate.js';
import type { StreamTranslator } from '@tollgate/providers';
import { StreamFilter, type StreamFilterOptions } from './stream-filter.js';

const chunk = (fields: Record<string, unknown>): string => `data: ${JSON.stringify(fields)}\n\n`;
const content = (text: string, model = 'gpt-upstream', usage?: null): string =>
  chunk({
    id: 'c1',
    object: 'chat.completion.chunk',
    model,
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
    ...(usage === null ? { usage: null } : {}),
  });
const USAGE = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
const usageChunk = (model = 'gpt-upstream'): string =>
  chunk({ id: 'c1', object: 'chat.completion.chunk', model, choices: [], usage: USAGE });
const DONE = 'data: [DONE]\n\n';

/** Runs `stream` through a filter cut at `cuts`; returns what the client got and the filter. */
function run(stream: string, options: StreamFilterOptions, cuts: number[] = []): { out: string; sut: StreamFilter } {
  const sut = new StreamFilter(options);
  const bytes = Buffer.from(stream);
  let out = '';
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out += sut.push(bytes.subarray(from, cut));
    from = cut;
  }
  return { out: out + sut.end(), sut };
}

const keep: StreamFilterOptions = { stripUsageChunk: false, clientModel: null };
const strip: StreamFilterOptions = { stripUsageChunk: true, clientModel: null };

describe(StreamFilter.name, () => {
  const body = content('Hel', 'gpt-upstream', null) + content('lo 😀', 'gpt-upstream', null) + ': ping\n\n';
  const stream = body + usageChunk() + DONE;

  it('passes every event through byte for byte when nothing is to change', () => {
    const { out, sut } = run(stream, keep);
    expect(out).toBe(stream);
    expect(sut.usageHolder).toEqual({ usage: USAGE });
    expect(sut.sawDone).toBe(true);
  });

  it('drops only the usage-only chunk when the client did not ask for usage, wherever the chunks are cut', () => {
    const bytes = Buffer.from(stream).length;
    for (let cut = 0; cut <= bytes; cut++) {
      for (const second of [cut + 1, cut + 17, bytes - 2]) {
        const cuts = second > cut && second <= bytes ? [cut, second] : [cut];
        const { out, sut } = run(stream, strip, cuts);
        expect(out).toBe(body + DONE);
        expect(sut.usageHolder).toEqual({ usage: USAGE });
      }
    }
  });

  it('keeps usage that rides on a chunk with choices (only the usage-only chunk is dropped)', () => {
    const mixed = chunk({ model: 'm', choices: [{ index: 0, delta: { content: 'x' } }], usage: USAGE }) + DONE;
    expect(run(mixed, strip).out).toBe(mixed);
  });

  it('names the model the client asked for in every chunk when the channel maps it', () => {
    const mapped: StreamFilterOptions = { stripUsageChunk: true, clientModel: 'gpt-client' };
    const bytes = Buffer.from(stream).length;
    for (let cut = 0; cut <= bytes; cut++) {
      const { out } = run(stream, mapped, [cut]);
      expect(out).toBe(content('Hel', 'gpt-client', null) + content('lo 😀', 'gpt-client', null) + ': ping\n\n' + DONE);
    }
  });

  it('keeps the framing of an event whose model it rewrites', () => {
    const framed = 'event: chunk\r\nid: 4\r\ndata: {"model":"up","choices":[]}\r\n\r\n';
    expect(run(framed, { stripUsageChunk: false, clientModel: 'client' }).out).toBe(
      'event: chunk\r\nid: 4\r\ndata: {"model":"client","choices":[]}\r\n\r\n',
    );
  });

  it('passes what is not JSON untouched', () => {
    const odd = 'data: not json\n\ndata: [1,2]\n\n' + DONE;
    expect(run(odd, { stripUsageChunk: true, clientModel: 'client' }).out).toBe(odd);
  });

  it('collects the text produced per choice, for counting when no usage comes', () => {
    const twoChoices =
      chunk({
        choices: [
          { index: 0, delta: { role: 'assistant', content: 'This' } },
          { index: 1, delta: { content: 'A' } },
        ],
      }) +
      chunk({ choices: [{ index: 0, delta: { content: ' is' } }] }) +
      chunk({ choices: [{ index: 1, delta: { tool_calls: [{ function: { name: 'f', arguments: '{"x":1}' } }] } }] }) +
      chunk({ choices: [{ index: 0, text: ' legacy' }] }) +
      DONE;
    const { sut } = run(twoChoices, strip);
    expect(sut.usageHolder).toBeNull();
    expect(sut.producedText()).toEqual(['This is legacy', 'Af{"x":1}']);
    expect(sut.producedText().reduce((total, text) => total + countText(text), 0)).toBeGreaterThan(0);
  });

  it('gives an unterminated last event through at the end, and drops it from a broken stream', () => {
    const sut = new StreamFilter(keep);
    expect(sut.push('data: {"a":1}\n\ndata: {"b":')).toBe('data: {"a":1}\n\n');
    expect(sut.end()).toBe('data: {"b":');
    const broken = new StreamFilter(keep);
    broken.push('data: {"b":');
    broken.discard();
    expect(broken.end()).toBe('');
  });
});

describe(`${StreamFilter.name} with a translator`, () => {
  /** A dialect whose events are `{"text":…}` and `{"stop":true,"in":N,"out":M}`: enough to see the filter's part. */
  const translator: StreamTranslator = {
    event(event) {
      const data = event.data === null ? null : (JSON.parse(event.data) as Record<string, unknown>);
      if (!data) return [];
      if (typeof data.text === 'string') {
        return [
          {
            object: 'chat.completion.chunk',
            model: 'native-model',
            choices: [{ index: 0, delta: { content: data.text } }],
          },
        ];
      }
      if (data.boom) return [{ error: { message: 'overloaded', type: 'overloaded_error' } }];
      return [
        {
          object: 'chat.completion.chunk',
          model: 'native-model',
          choices: [],
          usage: { prompt_tokens: data.in, completion_tokens: data.out },
        },
        '[DONE]',
      ];
    },
    end: () => [],
  };
  const native = 'data: {"text":"Hel"}\n\ndata: {"text":"lo"}\n\nevent: end\ndata: {"stop":true,"in":5,"out":2}';

  it("turns the upstream's events into OpenAI chunks naming the client's model, and reads their usage and text", () => {
    const { out, sut } = run(native, { ...keep, clientModel: 'client-model', translator }, [7, 30]);

    const events = out.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.slice('data: '.length)) as Record<string, unknown>);
    expect(chunks.map((c) => c.model)).toEqual(['client-model', 'client-model', 'client-model']);
    expect(sut.usageHolder).toEqual({ usage: { prompt_tokens: 5, completion_tokens: 2 } });
    expect(sut.producedText()).toEqual(['Hello']);
    expect(sut.sawDone).toBe(true);
  });

  it('drops the usage chunk the client did not ask for, and adds the tid to an in-band error', () => {
    const stripped = run(native, { ...strip, clientModel: 'm', translator }).out;
    expect(stripped).not.toContain('usage');
    expect(stripped.endsWith('data: [DONE]\n\n')).toBe(true);

    const failed = run('data: {"boom":true}\n\n', { ...keep, clientModel: 'm', translator, tid: 'tid-1' }).out;
    expect(JSON.parse(failed.slice('data: '.length))).toEqual({
      error: { message: 'overloaded', type: 'overloaded_error', tid: 'tid-1' },
    });
  });
});
