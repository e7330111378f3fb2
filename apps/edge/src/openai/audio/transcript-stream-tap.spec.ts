import { describe, expect, it } from '@jest/globals';
import { SseEventSplitter } from '@tollgate/providers';
import { TranscriptStreamTap } from './transcript-stream-tap.js';
import { reportedTranscriptionUsage } from './transcription-usage.js';

const events = (text: string) => new SseEventSplitter().push(text);

describe(TranscriptStreamTap.name, () => {
  it('reads deltas as text chunks and the done event as the usage chunk', () => {
    const sut = new TranscriptStreamTap();
    const stream =
      'data: {"type":"transcript.text.delta","delta":"Hello"}\n\n' +
      'data: {"type":"transcript.text.done","text":"Hello","usage":{"type":"tokens","input_tokens":31,' +
      '"input_token_details":{"audio_tokens":30,"text_tokens":1},"output_tokens":2,"total_tokens":33}}\n\n';

    const chunks = events(stream).flatMap((event) => sut.event(event));

    expect(chunks).toEqual([
      { choices: [{ index: 0, delta: { content: 'Hello' } }] },
      { choices: [], usage: { prompt_tokens: 31, completion_tokens: 2 } },
    ]);
    expect(sut.end()).toEqual([]);
  });

  it('passes an in-band error on for accounting, and ignores what it does not know', () => {
    const sut = new TranscriptStreamTap();

    const chunks = events('data: {"error":{"message":"boom"}}\n\ndata: {"type":"other"}\n\ndata: not json\n\n').flatMap(
      (event) => sut.event(event),
    );

    expect(chunks).toEqual([{ error: { message: 'boom' } }]);
  });
});

describe(reportedTranscriptionUsage.name, () => {
  it('reads token usage as input and output tokens, duration usage as whole seconds rounded up', () => {
    expect(
      reportedTranscriptionUsage({ usage: { type: 'tokens', input_tokens: 40, output_tokens: 12 } }),
    ).toMatchObject({ inputTokens: 40, outputTokens: 12, audioSeconds: 0 });
    expect(reportedTranscriptionUsage({ usage: { type: 'duration', seconds: 3 } })).toMatchObject({
      inputTokens: 0,
      audioSeconds: 3,
    });
    expect(reportedTranscriptionUsage({ usage: { type: 'duration', seconds: 3.2 } })?.audioSeconds).toBe(4);
  });

  it('is null when the answer reports no usage', () => {
    expect(reportedTranscriptionUsage({ text: 'hi' })).toBeNull();
    expect(reportedTranscriptionUsage(null)).toBeNull();
    expect(reportedTranscriptionUsage({ usage: { type: 'duration' } })).toBeNull();
  });
});
