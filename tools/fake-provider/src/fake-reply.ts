/**
 * What the fake answers, decided once per request whatever the dialect: the text "This is a fake answer."
 * (cut by the output limit or a stop sequence), or — when the request offers tools, its tool choice allows a
 * call and the conversation does not already end with a tool result — one call to the first tool (or the one
 * the tool choice names). After a tool result the fake answers text again, so a tool loop ends after one round.
 * Each dialect extracts a ReplyRequest from its own body shape and renders the FakeReply in its own format.
 */
import { fakeAnswer } from './fake-answer.js';
import type { FakeControls } from './fake-controls.js';
import { argumentPieces, fakeToolInput, type OfferedTool } from './fake-tool-call.js';

export type ToolChoice =
  | { readonly mode: 'auto' }
  | { readonly mode: 'none' }
  /** The request forces one tool by name. */
  | { readonly mode: 'named'; readonly name: string };

export interface ReplyRequest {
  /** Callable functions in request order; built-in/server tools are left out by the dialect. */
  readonly tools: readonly OfferedTool[];
  readonly toolChoice: ToolChoice;
  /** The last message is a tool result: the model has its answer and replies with text. */
  readonly afterToolResult: boolean;
  /** Output token limit of the request (max_tokens, maxOutputTokens…), if any. */
  readonly outputLimit?: number;
  readonly stopSequences?: readonly string[];
}

export interface TextReply {
  readonly kind: 'text';
  /** One entry per word / stream content chunk; concatenated they are `text`. */
  readonly pieces: readonly string[];
  readonly text: string;
  /** `complete` = the model ended its turn; `length` = the output limit cut it. */
  readonly finish: 'complete' | 'length' | 'stop_sequence';
  /** The stop sequence that ended the text (finish `stop_sequence`). */
  readonly stopSequence?: string;
}

export interface ToolCallReply {
  readonly kind: 'tool_call';
  readonly name: string;
  readonly input: Record<string, unknown>;
  /** `input` serialized: what OpenAI calls `arguments`. */
  readonly arguments: string;
  /** `arguments` in the pieces a stream sends them in. */
  readonly pieces: readonly string[];
}

export type FakeReply = TextReply | ToolCallReply;

/** The earliest stop sequence in `text`, if any (the real APIs also stop at the first one that appears). */
function firstStop(text: string, sequences: readonly string[]): { at: number; sequence: string } | undefined {
  let best: { at: number; sequence: string } | undefined;
  for (const sequence of sequences) {
    if (sequence === '') continue;
    const at = text.indexOf(sequence);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, sequence };
  }
  return best;
}

/** The pieces of `pieces` up to character `end`, the last one cut; an empty last piece is dropped. */
function cutPieces(pieces: readonly string[], end: number): string[] {
  const kept: string[] = [];
  let offset = 0;
  for (const piece of pieces) {
    if (offset >= end) break;
    kept.push(piece.slice(0, end - offset));
    offset += piece.length;
  }
  return kept;
}

function textReply(request: ReplyRequest, chunks: number): TextReply {
  const limit = request.outputLimit;
  const truncated = limit !== undefined && limit < chunks;
  const answer = fakeAnswer(truncated ? limit : chunks);
  const stop = request.stopSequences?.length ? firstStop(answer.text, request.stopSequences) : undefined;
  if (stop === undefined) {
    return { kind: 'text', pieces: answer.pieces, text: answer.text, finish: truncated ? 'length' : 'complete' };
  }
  const pieces = cutPieces(answer.pieces, stop.at);
  return { kind: 'text', pieces, text: pieces.join(''), finish: 'stop_sequence', stopSequence: stop.sequence };
}

export function planReply(
  request: ReplyRequest,
  controls: Pick<FakeControls, 'ignoreTools'> & { readonly chunks: number },
): FakeReply {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice.mode === 'none' || request.afterToolResult || controls.ignoreTools) {
    return textReply(request, controls.chunks);
  }
  const name = toolChoice.mode === 'named' ? toolChoice.name : tools[0].name;
  const input = fakeToolInput(tools.find((tool) => tool.name === name)?.schema);
  const json = JSON.stringify(input);
  return { kind: 'tool_call', name, input, arguments: json, pieces: argumentPieces(json) };
}
