import { describe, expect, it } from '@jest/globals';
import { SseEventSplitter, type SseEvent } from './sse-event-splitter.js';

/** Feeds `bytes` cut at the given offsets; returns every event and the rest. */
function feed(bytes: Buffer, cuts: number[]): { events: SseEvent[]; rest: string } {
  const sut = new SseEventSplitter();
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...sut.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return { events, rest: sut.rest() };
}

/** A deterministic pseudo-random generator, so a failing case can be replayed. */
function randomCuts(length: number, count: number, seed: number): number[] {
  let state = seed;
  const cuts = new Set<number>();
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    cuts.add(state % (length + 1));
  }
  return [...cuts].sort((a, b) => a - b);
}

const LF_STREAM =
  'data: {"id":"1","choices":[{"delta":{"content":"Grüße 😀"}}]}\n\n' +
  ': keep-alive\n\n' +
  'event: message\nid: 7\ndata: {"a":1}\n\n' +
  'data: line one\ndata: line two\n\n' +
  'data:no-space\n\n' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  {
    raw: 'data: {"id":"1","choices":[{"delta":{"content":"Grüße 😀"}}]}\n\n',
    data: '{"id":"1","choices":[{"delta":{"content":"Grüße 😀"}}]}',
  },
  { raw: ': keep-alive\n\n', data: null },
  { raw: 'event: message\nid: 7\ndata: {"a":1}\n\n', data: '{"a":1}' },
  { raw: 'data: line one\ndata: line two\n\n', data: 'line one\nline two' },
  { raw: 'data:no-space\n\n', data: 'no-space' },
  { raw: 'data: [DONE]\n\n', data: '[DONE]' },
];

describe(SseEventSplitter.name, () => {
  it('splits a whole stream into events, keeping each one byte for byte', () => {
    expect(feed(Buffer.from(LF_STREAM), [])).toEqual({ events: EXPECTED, rest: '' });
  });

  it('gives the same events wherever one cut falls (every byte offset, inside UTF-8 characters too)', () => {
    const bytes = Buffer.from(LF_STREAM);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(feed(bytes, [cut])).toEqual({ events: EXPECTED, rest: '' });
    }
  });

  it('gives the same events however the stream is cut into many chunks', () => {
    const bytes = Buffer.from(LF_STREAM);
    for (let seed = 1; seed <= 300; seed++) {
      expect(feed(bytes, randomCuts(bytes.length, 1 + (seed % 12), seed))).toEqual({ events: EXPECTED, rest: '' });
    }
  });

  it('handles CRLF and CR line ends, even with a cut between CR and LF', () => {
    const crlf = 'data: a\r\n\r\nevent: x\r\ndata: b\r\n\r\n';
    const cr = 'data: a\r\rdata: b\r\r';
    for (const [text, raws] of [
      [crlf, ['data: a\r\n\r\n', 'event: x\r\ndata: b\r\n\r\n']],
      [cr, ['data: a\r\r', 'data: b\r\r']],
    ] as const) {
      const bytes = Buffer.from(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const { events, rest } = feed(bytes, [cut]);
        expect(events.map((event) => event.raw)).toEqual(raws);
        expect(events.map((event) => event.data)).toEqual(['a', 'b']);
        expect(rest).toBe('');
      }
    }
  });

  it('holds an unterminated event back and gives it as the rest', () => {
    const sut = new SseEventSplitter();
    expect(sut.push('data: {"a":1}\n\ndata: {"b"')).toEqual([{ raw: 'data: {"a":1}\n\n', data: '{"a":1}' }]);
    expect(sut.push(':2}\n')).toEqual([]);
    expect(sut.rest()).toBe('data: {"b":2}\n');
  });
});
