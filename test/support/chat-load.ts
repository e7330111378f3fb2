import { randomBytes } from 'node:crypto';

/** One request of the load, known by the tid it chose (its traceparent's trace id). */
export interface LoadRequest {
  tid: string;
  /** Epoch milliseconds at which the client sent it. */
  startedAt: number;
  /** The HTTP status the client got, or null when it got no answer (connection refused or cut, timeout). */
  status: number | null;
}

export interface ChatLoad {
  /** Requests answered with a 200 so far. */
  served(): number;
  /** Stops starting requests, waits for those in flight, and returns every request made. */
  stop(): Promise<LoadRequest[]>;
}

export interface ChatLoadOptions {
  edgeUrl: string;
  key: string;
  model: string;
  /** Requests in flight at any time. */
  clients: number;
  /** The body's max_tokens: with an output-only price, what each request holds. */
  maxTokens: number;
}

/** Where a request's tid travels to the upstream (the edge passes /v1 bodies on untouched). */
const TID_PREFIX = 'load request ';

/** The tid a load request carried to the upstream, from the body the fake provider recorded. */
export function loadTidOf(body: unknown): string | undefined {
  const messages = (body as { messages?: Array<{ content?: unknown }> } | undefined)?.messages;
  const content = messages?.[0]?.content;
  return typeof content === 'string' && content.startsWith(TID_PREFIX) ? content.slice(TID_PREFIX.length) : undefined;
}

/**
 * A client that gets no answer waits this long before its next request: while
 * a process is down, a refused connection costs nothing, and eight clients
 * retrying at once would take the CPU the restarting service needs.
 */
const PAUSE_AFTER_FAILURE_MS = 50;
/** Longer than any answer of a healthy suite, so a request never outlives the test that made it. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Chat completions from `clients` concurrent clients, one request after the
 * other each, until `stop()`. Every request chooses its tid (a W3C
 * traceparent) and writes it into its prompt, so a test can follow it to the
 * upstream (the fake provider's recorded requests) and to the ledger.
 */
export function startChatLoad({ edgeUrl, key, model, clients, maxTokens }: ChatLoadOptions): ChatLoad {
  const requests: LoadRequest[] = [];
  let stopped = false;
  let served = 0;

  const once = async (): Promise<LoadRequest> => {
    const tid = randomBytes(16).toString('hex');
    const startedAt = Date.now();
    try {
      const response = await fetch(`${edgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          traceparent: `00-${tid}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({
          model,
          messages: [{ role: 'user', content: `${TID_PREFIX}${tid}` }],
          max_tokens: maxTokens,
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return { tid, startedAt, status: response.status };
    } catch {
      return { tid, startedAt, status: null };
    }
  };

  const client = async () => {
    while (!stopped) {
      const request = await once();
      requests.push(request);
      if (request.status === 200) served++;
      if (request.status === null) await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_FAILURE_MS));
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));

  return {
    served: () => served,
    async stop() {
      stopped = true;
      await running;
      return requests;
    },
  };
}
