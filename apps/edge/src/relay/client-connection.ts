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
 * once and is not paid for any longer than needed.
 */
export class ClientConnection {
  private readonly controller = new AbortController();
  private readonly onClose = (): void => {
    if (!this.raw.writableFinished) this.controller.abort(new ClientGoneError());
  };

  constructor(private readonly raw: ServerResponse) {
    // The client may already have left while auth, routing and billing were asked.
    if (raw.destroyed) this.onClose();
    else raw.once('close', this.onClose);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get gone(): boolean {
    return this.controller.signal.aborted;
  }

  dispose(): void {
    this.raw.off('close', this.onClose);
  }
}
