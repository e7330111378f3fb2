import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';

/**
 * A local server answering every request with one fixed body, and an
 * official OpenAI client pointed at it: the specs hand the SDK what the
 * dialect produced and let it parse that as it parses OpenAI's answers.
 * Test-only (the `openai` SDK is a devDependency).
 */
export async function serveToSdk(
  body: string,
  contentType: 'application/json' | 'text/event-stream',
): Promise<{ client: OpenAI; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  return {
    client,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
