import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { testNats } from '@tollgate/testing';
import { speaksNats } from './service-processes.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A plain TCP server on a free port that does `greet` with each connection. */
async function listening(greet: (socket: Socket) => void): Promise<number> {
  const sockets: Socket[] = [];
  server = createServer((socket) => {
    sockets.push(socket);
    greet(socket);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe(speaksNats.name, () => {
  it('knows a NATS server by the INFO it greets a connection with', async () => {
    const nats = await testNats();
    try {
      const { hostname, port } = new URL(nats.url.split(',')[0] ?? '');
      expect(await speaksNats(hostname, Number(port))).toBe(true);
    } finally {
      await nats.stop();
    }
  });

  it.each([
    ['stays silent', () => undefined],
    ['answers something else', (socket: Socket) => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n')],
    ['hangs up', (socket: Socket) => socket.end()],
    ['sends INFO without its object', (socket: Socket) => socket.write('INFO\r\n')],
  ])('is not fooled by a program that %s', async (_what, greet) => {
    const port = await listening(greet);
    expect(await speaksNats('127.0.0.1', port, 300)).toBe(false);
  });
});
