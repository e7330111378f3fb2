/**
 * An error answer in flight, in whatever shape the dialect of the request uses (OpenAI's `{error:{…}}`,
 * Anthropic's `{type:"error",error:{…}}`, Gemini's `{error:{code,status,…}}`). Handlers throw it; the server
 * writes it. The body is ready to serialize, so the server never needs to know which dialect built it.
 */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * A request body the fake could not read. Raised below the dialect layer (body reading, JSON parsing), so it
 * names only what went wrong; each dialect words the answer in its own error shape.
 */
export class UnreadableBodyError extends Error {
  constructor(readonly reason: 'too_large' | 'invalid_json') {
    super(reason === 'too_large' ? 'request body too large' : 'request body is not valid JSON');
  }
}
