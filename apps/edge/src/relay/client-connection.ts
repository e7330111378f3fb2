import type { ServerResponse } from 'node:http';

/** The reason an upstream call is aborted with when its client left; recognisable in logs. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/**
 * The client's side of one request: an abort signal that fires when the
 * client closes its connection before the response finished, so that the
 * upstream call (waiting, or streaming tokens nobody will read) stops at
 * once and is not paid for any longer than needed. A stream is also cut
 * short when the edge stops and its deadline passes (cutShortAt).
 */
export class ClientConnection {
  private readonly controller = new AbortController();
  private readonly onClose = (): void => {
    if (!this.raw.writableFinished) this.controller.abort(new ClientGoneError());
  };
  private forgetDeadline = (): void => undefined;

  constructor(private readonly raw: ServerResponse) {
    // The client may already have left while auth, routing and billing were asked.
    if (raw.destroyed) this.onClose();
    else raw.once('close', this.onClose);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The client closed its connection before the response finished. */
  get gone(): boolean {
    return this.controller.signal.reason instanceof ClientGoneError;
  }

  /** The upstream call was ended by the deadline given to cutShortAt, the client still there. */
  get cutShort(): boolean {
    return this.controller.signal.aborted && !this.gone;
  }

  /** Ends the upstream call when `deadline` fires, unless the response has finished by then. */
  cutShortAt(deadline: AbortSignal): void {
    const cut = (): void => {
      if (!this.raw.writableFinished && !this.controller.signal.aborted) this.controller.abort(deadline.reason);
    };
    if (deadline.aborted) return cut();
    deadline.addEventListener('abort', cut, { once: true });
    this.forgetDeadline = () => deadline.removeEventListener('abort', cut);
  }

  dispose(): void {
    this.raw.off('close', this.onClose);
    this.forgetDeadline();
  }
}
