import type { UpstreamBody } from '@tollgate/providers';

/** An error body larger than this is not worth reading to find its code. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The body of a refused attempt, for its error code and the client's error.
 * Never throws: a body that is too large, broken off or silent is null (the
 * status alone then decides about the retry).
 */
export async function readErrorBytes(body: UpstreamBody): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ERROR_BODY) {
        body.destroy();
        return null;
      }
      chunks.push(chunk);
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks);
}

/**
 * A whole answer of a call the edge makes outside the attempt loop (a stored
 * response, count_tokens): a success read whole, a refusal's first 64 KiB;
 * null when a success broke off, so the caller decides instead of a 500.
 */
export async function readAnswerBytes(status: number, body: UpstreamBody): Promise<Buffer | null> {
  if (status < 200 || status >= 300) return (await readErrorBytes(body)) ?? Buffer.alloc(0);
  try {
    return Buffer.from(await body.arrayBuffer());
  } catch {
    return null;
  }
}
