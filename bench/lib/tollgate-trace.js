/**
 * Where a Tollgate request's time goes, seen from the outside: a wire-tap on the private nats-server (a
 * subscription to every subject) while sequential requests are sent. Each service call is a NATS request
 * and its reply, so for every client request we get a timeline:
 *
 *   client sends ─ edge work ─ auth request … auth reply ─ edge work ─ router request … reply ─ …
 *   ─ last reply … (edge: upstream call + answer to the client) ─ client has the whole answer
 *
 * Calls sent while another is outstanding are shown as parallel. Durations are medians over the traced
 * requests, per segment. The tap adds one more subscriber to
 * every message (a little latency per hop), which is why it runs after the measured phases and is
 * reported apart from them. Fire-and-forget messages (the settlement publish to JetStream, the outcome
 * event for the router) are counted, with their sizes, but are not on the client's critical path.
 */
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'undici';
import { summarize } from './stats.js';

const nowUs = () => Number(process.hrtime.bigint()) / 1000;

export async function traceTollgate(target, { natsUrl, requests, body }) {
  const nc = await connect({ servers: natsUrl, name: 'bench-wiretap' });
  const events = [];
  const sub = nc.subscribe('>', {
    callback: (_error, msg) => {
      events.push({ t: nowUs(), subject: msg.subject, reply: msg.reply ?? null, bytes: msg.data.length });
    },
  });
  await nc.flush();

  const endpoint = target.endpoint('fast');
  const pool = new Pool(endpoint.origin, { connections: 1, keepAliveTimeout: 60_000 });
  const headers = { 'content-type': 'application/json', ...endpoint.headers };
  const windows = [];
  try {
    for (let i = 0; i < requests; i++) {
      const start = nowUs();
      // These requests are charged like any other: the exactness check counts them too.
      endpoint.tally?.request();
      const res = await pool.request({ method: 'POST', path: endpoint.path, headers, body }).catch((error) => {
        endpoint.tally?.failure(error?.code ?? 'socket error');
        throw error;
      });
      endpoint.tally?.answer(res.statusCode, res.headers['x-tid']);
      await res.body.text();
      windows.push({ start, end: nowUs(), status: res.statusCode });
    }
    // Back to back, like the measured phase: the asynchronous work of one request (settlement, outcome
    // event) overlaps the next one, as it does under real traffic. Then a moment for the last request's.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await nc.flush();
  } finally {
    await pool.close();
    sub.unsubscribe();
    await nc.close();
  }
  return buildTimeline(events, windows);
}

/** Pairs requests with replies (by reply subject) and cuts each client request into segments. */
function buildTimeline(events, windows) {
  const segments = new Map(); // name → µs samples
  const add = (name, us) => (segments.get(name) ?? segments.set(name, []).get(name)).push(us);
  const messagesPerRequest = [];
  const bytesPerRequest = [];
  const offPath = new Map(); // subject → count of fire-and-forget messages

  let example = null;
  let cursor = 0;
  for (const [index, window] of windows.entries()) {
    // Messages from this request's start to the next one's: its calls, and the asynchronous messages it
    // caused (published after its answer — or, for the settlement's processing, a little later).
    const until = windows[index + 1]?.start ?? window.end + 200_000;
    const mine = [];
    while (cursor < events.length && events[cursor].t < window.start) cursor++;
    let j = cursor;
    while (j < events.length && events[j].t < until) mine.push(events[j++]);
    if (window.status < 200 || window.status >= 300) continue;
    // One request's messages, in order, kept in the results as an example of the wire traffic.
    example ??= mine.map((e) => ({
      atUs: Math.round(e.t - window.start),
      subject: e.subject,
      reply: e.reply,
      bytes: e.bytes,
    }));
    messagesPerRequest.push(mine.length);
    bytesPerRequest.push(mine.reduce((sum, e) => sum + e.bytes, 0));

    const pending = new Map();
    const calls = [];
    for (const e of mine) {
      const call = pending.get(e.subject);
      if (call) {
        call.replyAt = e.t;
        pending.delete(e.subject);
      } else if (e.reply?.startsWith('$JS.ACK.')) {
        const key = `${e.subject} (JetStream delivery to the billing consumer)`;
        offPath.set(key, (offPath.get(key) ?? 0) + 1);
      } else if (e.reply) {
        const c = { subject: e.subject, at: e.t, replyAt: null };
        calls.push(c);
        pending.set(e.reply, c);
      } else if (!e.subject.startsWith('_INBOX')) {
        // One subject per acknowledged message: counted under one name.
        const key = e.subject.startsWith('$JS.ACK.')
          ? `${e.subject.split('.').slice(0, 4).join('.')}.… (billing acknowledges a settlement)`
          : e.subject;
        offPath.set(key, (offPath.get(key) ?? 0) + 1);
      }
    }
    // The critical path: calls answered before the client had its answer, in order.
    // (The settlement publish to JetStream also gets a reply — the stream's ack — but nobody waits for it.)
    const onPath = calls.filter(
      (c) => c.replyAt !== null && c.replyAt <= window.end && c.at >= window.start && !/settlement/.test(c.subject),
    );
    // Calls may overlap (the edge can ask two services at once): a call sent before the previous replies
    // arrived is "in parallel", and edge work is only the time when no call was outstanding.
    let frontier = window.start;
    let frontierName = null;
    for (const c of onPath) {
      const name = shortSubject(c.subject);
      if (c.at >= frontier) {
        add(
          frontierName ? `edge work after ${frontierName}, before ${name}` : `client → edge, edge work before ${name}`,
          c.at - frontier,
        );
        add(`${name} (request → reply on NATS)`, c.replyAt - c.at);
      } else {
        add(
          `${name} (request → reply, sent while ${frontierName ?? 'another call'} was outstanding)`,
          c.replyAt - c.at,
        );
      }
      if (c.replyAt > frontier) {
        frontier = c.replyAt;
        frontierName = name;
      }
    }
    add(`${frontierName ? `after ${frontierName}: ` : ''}upstream call + answer to client`, window.end - frontier);
    add('total (client view)', window.end - window.start);
    for (const c of calls.filter((call) => !onPath.includes(call))) {
      const key = `${c.subject} (request, not waited for by the client)`;
      offPath.set(key, (offPath.get(key) ?? 0) + 1);
    }
  }
  const traced = messagesPerRequest.length;
  return {
    tracedRequests: traced,
    segments: [...segments.entries()].map(([name, samples]) => ({ name, ...pick(summarize(samples)) })),
    natsMessagesPerRequest: summarize(messagesPerRequest).p50,
    natsBytesPerRequest: summarize(bytesPerRequest).p50,
    exampleRequestMessages: example,
    offPathPerRequest: Object.fromEntries(
      [...offPath.entries()].map(([subject, n]) => [subject, n / Math.max(1, traced)]),
    ),
  };
}

const pick = ({ n, p50, p90, p99 }) => ({ n, p50Us: p50, p90Us: p90, p99Us: p99 });
const shortSubject = (subject) => subject.replace(/^tollgate\./, '');

export function renderTimeline(trace) {
  const ms = (us) => (us === null || us === undefined ? '—' : (us / 1000).toFixed(3));
  // Rare shapes (a request whose reply the tap saw late) stay in the JSON; the table shows the usual path.
  const usual = trace.segments.filter((s) => s.n >= Math.max(1, trace.tracedRequests / 10));
  const width = Math.max(...usual.map((s) => s.name.length));
  const lines = [
    `${trace.tracedRequests} sequential requests with a wire-tap on NATS (ms):`,
    ...usual.map(
      (s) => `  ${s.name.padEnd(width)}  p50 ${ms(s.p50Us).padStart(8)}  p90 ${ms(s.p90Us).padStart(8)}  (n=${s.n})`,
    ),
    `  NATS messages per request: ${trace.natsMessagesPerRequest} (${trace.natsBytesPerRequest} payload bytes); ` +
      'off the critical path, per request:',
    ...Object.entries(trace.offPathPerRequest)
      .filter(([, n]) => n >= 0.01)
      .map(([subject, n]) => `    ${n.toFixed(2)} × ${subject}`),
    '(segment names: "X (request → reply)" is the service call as seen on the wire; "edge work" is the',
    " time between one reply and the edge's next request; sums may differ from the total by the tap's delay)",
  ];
  return lines.join('\n');
}
