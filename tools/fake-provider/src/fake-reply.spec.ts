import { describe, expect, it } from '@jest/globals';
import { planReply, type ReplyRequest } from './fake-reply.js';
import { argumentPieces, fakeToolInput } from './fake-tool-call.js';

const TEXT_ONLY: ReplyRequest = { tools: [], toolChoice: { mode: 'auto' }, afterToolResult: false };
const TOOLS = [
  { name: 'first', schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
  { name: 'second', schema: { type: 'object' } },
];
const CONTROLS = { chunks: 5 };

describe('planReply', () => {
  it('answers the words, cut by the output limit', () => {
    expect(planReply(TEXT_ONLY, CONTROLS)).toEqual({
      kind: 'text',
      pieces: ['This', ' is', ' a', ' fake', ' answer.'],
      text: 'This is a fake answer.',
      finish: 'complete',
    });
    expect(planReply({ ...TEXT_ONLY, outputLimit: 2 }, CONTROLS)).toMatchObject({ text: 'This is', finish: 'length' });
    expect(planReply({ ...TEXT_ONLY, outputLimit: 9 }, CONTROLS)).toMatchObject({ finish: 'complete' });
  });

  it('stops before the earliest stop sequence, mid-word if need be', () => {
    expect(planReply({ ...TEXT_ONLY, stopSequences: ['answer', 'ake'] }, CONTROLS)).toEqual({
      kind: 'text',
      pieces: ['This', ' is', ' a', ' f'],
      text: 'This is a f',
      finish: 'stop_sequence',
      stopSequence: 'ake',
    });
    expect(planReply({ ...TEXT_ONLY, stopSequences: [' is'] }, CONTROLS)).toMatchObject({ pieces: ['This'] });
    expect(planReply({ ...TEXT_ONLY, stopSequences: ['absent', ''] }, CONTROLS)).toMatchObject({ finish: 'complete' });
    // A stop sequence beyond the output limit never appears.
    expect(planReply({ ...TEXT_ONLY, outputLimit: 2, stopSequences: ['fake'] }, CONTROLS)).toMatchObject({
      finish: 'length',
    });
  });

  it('calls the first tool, or the named one, unless tools are forbidden, answered or ignored', () => {
    const withTools: ReplyRequest = { ...TEXT_ONLY, tools: TOOLS };
    expect(planReply(withTools, CONTROLS)).toEqual({
      kind: 'tool_call',
      name: 'first',
      input: { q: 'fake' },
      arguments: '{"q":"fake"}',
      pieces: ['{"q"', ':"fa', 'ke"}'],
    });
    expect(planReply({ ...withTools, toolChoice: { mode: 'named', name: 'second' } }, CONTROLS)).toMatchObject({
      name: 'second',
      arguments: '{}',
    });
    expect(planReply({ ...withTools, toolChoice: { mode: 'none' } }, CONTROLS).kind).toBe('text');
    expect(planReply({ ...withTools, afterToolResult: true }, CONTROLS).kind).toBe('text');
    expect(planReply(withTools, { ...CONTROLS, ignoreTools: true }).kind).toBe('text');
  });
});

describe('tool call arguments', () => {
  it('fills required properties by type, enum and const, nested objects included', () => {
    expect(
      fakeToolInput({
        type: 'object',
        properties: {
          s: { type: 'string' },
          n: { type: 'number' },
          i: { type: ['integer', 'null'] },
          b: { type: 'BOOLEAN' },
          a: { type: 'array', items: { type: 'string' } },
          e: { type: 'string', enum: ['low', 'high'] },
          c: { const: 42 },
          o: { type: 'object', properties: { deep: { type: 'string' }, skip: { type: 'string' } }, required: ['deep'] },
          optional: { type: 'string' },
        },
        required: ['s', 'n', 'i', 'b', 'a', 'e', 'c', 'o', 'untyped'],
      }),
    ).toEqual({ s: 'fake', n: 1, i: 1, b: true, a: [], e: 'low', c: 42, o: { deep: 'fake' }, untyped: 'fake' });
    expect(fakeToolInput(undefined)).toEqual({});
    expect(fakeToolInput({ type: 'object', properties: { x: { type: 'string' } } })).toEqual({});
  });

  it('splits the arguments in up to three pieces that join back', () => {
    expect(argumentPieces('{}')).toEqual(['{', '}']);
    const json = '{"city":"fake","days":1}';
    expect(argumentPieces(json)).toHaveLength(3);
    expect(argumentPieces(json).join('')).toBe(json);
  });
});
