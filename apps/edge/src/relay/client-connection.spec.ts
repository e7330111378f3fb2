import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ClientConnection, ClientGoneError } from './client-connection.js';

/** The two properties and the event ClientConnection looks at. */
function response(state: { destroyed?: boolean; writableFinished?: boolean } = {}): ServerResponse & EventEmitter {
  return Object.assign(new EventEmitter(), {
    destroyed: false,
    writableFinished: false,
    ...state,
  }) as unknown as ServerResponse & EventEmitter;
}

describe(ClientConnection.name, () => {
  it('aborts when the connection closes before the response finished', () => {
    const raw = response();
    const sut = new ClientConnection(raw);
    expect(sut.gone).toBe(false);
    raw.emit('close');
    expect(sut.gone).toBe(true);
    expect(sut.signal.reason).toBeInstanceOf(ClientGoneError);
  });

  it('does not abort when the connection closes after a finished response', () => {
    const raw = response();
    const sut = new ClientConnection(raw);
    Object.assign(raw, { writableFinished: true });
    raw.emit('close');
    expect(sut.gone).toBe(false);
  });

  it('is gone at once for a client that left before the relay got to the upstream', () => {
    expect(new ClientConnection(response({ destroyed: true })).gone).toBe(true);
  });

  it('stops listening when disposed', () => {
    const raw = response();
    new ClientConnection(raw).dispose();
    expect(raw.listenerCount('close')).toBe(0);
  });
});
