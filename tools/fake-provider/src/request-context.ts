/** What an endpoint handler gets: the request after body parsing and control resolution. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedControls } from './fake-controls.js';
import type { FakeFile } from './multipart-body.js';

export interface FakeRequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The JSON body; `{}` for requests without one (GET). */
  readonly body: Readonly<Record<string, unknown>>;
  /** A form's file parts by name (the upload endpoints); absent for a JSON body. */
  readonly files?: ReadonlyMap<string, readonly FakeFile[]>;
  readonly controls: ResolvedControls;
  /** Aborts when the connection closes, so pacing timers stop for clients that went away. */
  readonly signal: AbortSignal;
  /** Per-instance request number; makes response ids predictable (`chatcmpl-fake-1`, …). */
  readonly seq: number;
}

export type FakeHandler = (ctx: FakeRequestContext) => void | Promise<void>;
