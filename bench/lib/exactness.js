/**
 * Exactness under load (issue 15): after the measured phases, the bench checks through the admin API, with
 * the root key as billing staff would, that Tollgate's books agree with what its own load generator saw:
 *
 *   - reconcile is clean (every balance = its ledger, every held amount = its open holds, every key's spend
 *     = its holds);
 *   - every 2xx answer the bench got was charged once, and nothing else was: the charges in the ledger are
 *     matched to the answers by tid (the X-Tid header of each answer is the ledger entry's tid), so a
 *     mismatch names the requests;
 *   - no hold is left open, no hold expired (an expiry charges the held amount without a charge entry), and
 *     the balance is the top-ups (and adjustments) minus the charges, as the ledger lists them;
 *   - the usage report agrees (settled successes and their cost).
 *
 * The counts on the client side come from one RequestTally that every Tollgate endpoint carries: each load
 * generator (sequential, streaming, concurrent, the NATS trace) records every request it sends, every answer
 * with its status and tid, and every request that got no answer. A failure of the check itself is a result
 * (NOT MEASURED, with the reason), never a crash of the bench.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { adminCall } from './targets/tollgate-setup.js';

/** The 2xx tids kept for the per-request comparison (a full run sends ~100k requests to Tollgate). */
const MAX_KEPT_TIDS = 1_000_000;
/** Requests the report names when a comparison fails; the JSON keeps a few more. */
const NAMED = 5;
const LEDGER_PAGE = 1000;
/** Settlement is asynchronous: a hold may still be closing for a few ms after the backlog read 0. */
const OPEN_HOLDS_WAIT_MS = 10_000;

/** What the bench sent to Tollgate and what came back, across every phase (shared by all its endpoints). */
export class RequestTally {
  constructor() {
    this.sent = 0;
    /** Answers by HTTP status. */
    this.statuses = {};
    /** Requests without an answer, by error kind (socket errors, timeouts). */
    this.failures = {};
    this.successTids = new Set();
    /** tid → status of every non-2xx answer. */
    this.errorTids = new Map();
    this.answersWithoutTid = 0;
    this.tidsDropped = 0;
  }

  request(count = 1) {
    this.sent += count;
  }

  answer(status, tid) {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    const id = Array.isArray(tid) ? tid[0] : tid;
    if (!id) {
      this.answersWithoutTid++;
      return;
    }
    if (status >= 200 && status < 300) {
      if (this.successTids.size < MAX_KEPT_TIDS) this.successTids.add(id);
      else this.tidsDropped++;
    } else if (this.errorTids.size < MAX_KEPT_TIDS) {
      this.errorTids.set(id, status);
    } else {
      this.tidsDropped++;
    }
  }

  failure(kind) {
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
  }

  counts() {
    const answered = sum(Object.values(this.statuses));
    const ok = sum(Object.entries(this.statuses).map(([status, n]) => (status.startsWith('2') ? n : 0)));
    const failed = sum(Object.values(this.failures));
    return {
      sent: this.sent,
      answered,
      ok,
      non2xx: answered - ok,
      non2xxByStatus: Object.fromEntries(Object.entries(this.statuses).filter(([status]) => !status.startsWith('2'))),
      noAnswer: failed,
      noAnswerByKind: { ...this.failures },
      // Sent, yet neither answered nor failed: a request the load generator dropped (it should be 0).
      unaccounted: this.sent - answered - failed,
      answersWithoutTid: this.answersWithoutTid,
      tidsDropped: this.tidsDropped,
    };
  }
}

const sum = (values) => values.reduce((total, value) => total + value, 0);

/** "-12.500000" → -12500000n: the admin API's money strings, in micros, exactly. */
export function toMicros(decimal) {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(decimal).trim());
  if (!match) throw new Error(`not a money amount: ${JSON.stringify(decimal)}`);
  const micros = BigInt(match[2]) * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] ? -micros : micros;
}

export function formatMicros(micros) {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return `${negative ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
}

/** Every top-up, adjustment, charge and expiry of a user, a page at a time (newest first). */
async function readLedger(call, userId) {
  const out = { topups: 0n, adjustments: 0n, charges: [], expiries: [], pages: 0 };
  let cursor = null;
  do {
    const query = new URLSearchParams({ type: 'topup,adjustment,charge,expiry', limit: String(LEDGER_PAGE) });
    if (cursor) query.set('cursor', cursor);
    const page = await call(`/admin/v1/users/${userId}/ledger?${query}`);
    out.pages++;
    for (const entry of page.data) {
      const micros = toMicros(entry.amount);
      if (entry.type === 'topup') out.topups += micros;
      else if (entry.type === 'adjustment') out.adjustments += micros;
      else if (entry.type === 'charge') out.charges.push({ tid: entry.tid, micros, holdId: entry.hold_id });
      else if (entry.type === 'expiry')
        out.expiries.push({ tid: entry.tid, holdId: entry.hold_id, reason: entry.reason });
    }
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** Open holds of every user; waits a little while settlements still close them (see OPEN_HOLDS_WAIT_MS). */
async function openHolds(call, userIds) {
  const started = Date.now();
  for (;;) {
    const holds = [];
    for (const userId of userIds) holds.push(...(await call(`/admin/v1/users/${userId}/holds`)).data);
    if (holds.length === 0 || Date.now() - started >= OPEN_HOLDS_WAIT_MS) {
      return { holds, waitedMs: Date.now() - started };
    }
    await sleep(250);
  }
}

/**
 * Reads Tollgate's books for the bench users and compares them with the tally. Returns every figure the
 * report and the JSON need; `met` is true only when each check holds.
 */
export async function checkExactness({ edgeUrl, rootKey, userIds, tally }) {
  const call = (path) => adminCall(edgeUrl, rootKey, 'GET', path);
  const startedAt = Date.now();
  const client = tally.counts();

  // Holds first: once none is open, every settlement has been applied and the books no longer move.
  const { holds, waitedMs } = await openHolds(call, userIds);
  const reconcile = await call('/admin/v1/reconcile');

  const users = [];
  const charges = [];
  const expiries = [];
  let usage = { settled: 0, failed: 0, costMicros: 0n, truncated: false };
  for (const userId of userIds) {
    const balance = await call(`/admin/v1/users/${userId}/balance`);
    const ledger = await readLedger(call, userId);
    const report = await call(`/admin/v1/usage?${new URLSearchParams({ user_id: userId, limit: '10000' })}`);
    usage = {
      settled: usage.settled + sum(report.data.map((row) => row.requests)),
      failed: usage.failed + sum(report.data.map((row) => row.failed_requests)),
      costMicros: usage.costMicros + report.data.reduce((total, row) => total + toMicros(row.cost), 0n),
      truncated: usage.truncated || report.truncated,
    };
    charges.push(...ledger.charges);
    expiries.push(...ledger.expiries);
    const charged = ledger.charges.reduce((total, entry) => total + entry.micros, 0n);
    const expected = ledger.topups + ledger.adjustments + charged;
    const actual = toMicros(balance.balance);
    users.push({
      userId,
      topups: formatMicros(ledger.topups),
      adjustments: formatMicros(ledger.adjustments),
      charges: ledger.charges.length,
      charged: formatMicros(-charged),
      balance: balance.balance,
      held: balance.held,
      expectedBalance: formatMicros(expected),
      balanceDifference: formatMicros(actual - expected),
      balanceOk: actual === expected && toMicros(balance.held) === 0n,
      ledgerPages: ledger.pages,
    });
  }

  // Per request, by tid: which charges the bench saw no success for, which successes were not charged.
  const chargedTids = new Map();
  for (const entry of charges) chargedTids.set(entry.tid, (chargedTids.get(entry.tid) ?? 0) + 1);
  const chargedTwice = [...chargedTids.entries()].filter(([, n]) => n > 1).map(([tid, n]) => ({ tid, charges: n }));
  const chargedErrors = [];
  const chargedUnseen = [];
  for (const { tid, micros } of charges) {
    if (tally.successTids.has(tid)) continue;
    const status = tally.errorTids.get(tid);
    if (status !== undefined) chargedErrors.push({ tid, status, amount: formatMicros(-micros) });
    else chargedUnseen.push({ tid, amount: formatMicros(-micros) });
  }
  const uncharged = [...tally.successTids].filter((tid) => !chargedTids.has(tid));
  const chargedMicros = -charges.reduce((total, entry) => total + entry.micros, 0n);

  const checks = {
    reconcileClean: reconcile.ok === true && reconcile.differences.length === 0,
    chargesEqualSuccesses: charges.length === client.ok,
    sameRequests: chargedErrors.length === 0 && chargedUnseen.length === 0 && uncharged.length === 0,
    noDoubleCharge: chargedTwice.length === 0,
    noOpenHolds: holds.length === 0,
    noExpiries: expiries.length === 0,
    balances: users.every((user) => user.balanceOk),
    usageAgrees:
      !usage.truncated && usage.settled - usage.failed === charges.length && usage.costMicros === chargedMicros,
    // Every request the bench sent is accounted for (answered or failed), and every answer carried a tid.
    clientComplete: client.unaccounted === 0 && client.answersWithoutTid === 0 && client.tidsDropped === 0,
  };
  return {
    met: Object.values(checks).every(Boolean),
    checks,
    client,
    charges: charges.length,
    charged: formatMicros(chargedMicros),
    openHolds: holds.length,
    openHoldsSample: holds.slice(0, NAMED * 2),
    openHoldsWaitedMs: waitedMs,
    expiries: expiries.length,
    expiriesSample: expiries.slice(0, NAMED * 2),
    usage: { ...usage, costMicros: undefined, cost: formatMicros(usage.costMicros) },
    reconcile: {
      ok: reconcile.ok,
      accounts: reconcile.accounts,
      keys: reconcile.keys,
      differences: reconcile.differences,
      accountsWithoutUser: reconcile.accounts_without_user,
    },
    users,
    mismatches: {
      chargedErrors: chargedErrors.length,
      chargedErrorsSample: chargedErrors.slice(0, NAMED * 2),
      chargedUnseen: chargedUnseen.length,
      chargedUnseenSample: chargedUnseen.slice(0, NAMED * 2),
      uncharged: uncharged.length,
      unchargedSample: uncharged.slice(0, NAMED * 2),
      chargedTwice: chargedTwice.length,
      chargedTwiceSample: chargedTwice.slice(0, NAMED * 2),
    },
    tookMs: Date.now() - startedAt,
  };
}

/** The goal's figure: the headline numbers, or why it could not be measured. */
export function exactnessFigure(result) {
  if (!result || result.error) return null;
  const c = result.client;
  return (
    `${fmt(c.ok)} 2xx, ${fmt(result.charges)} charges, ${result.openHolds} open holds, ` +
    `${result.reconcile.differences.length} reconcile differences` +
    (result.checks.balances ? '' : ', balance ≠ top-ups − charges')
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** The report's section. Every figure a mismatch needs to be investigated is printed, not only the verdict. */
export function renderExactness(result, target) {
  if (!result) {
    const why = target && target.status !== 'measured' ? `Tollgate ${target.status}` : 'Tollgate was not running';
    return [`not measured: ${why}`];
  }
  if (result.error) return [`not measured: the check failed: ${result.error}`];
  const c = result.client;
  const yes = (ok) => (ok ? 'ok' : 'MISMATCH');
  const lines = [
    `requests sent to Tollgate (every phase, warm-ups, smoke and trace requests): ${fmt(c.sent)}`,
    `  answered ${fmt(c.answered)}: 2xx ${fmt(c.ok)}, non-2xx ${fmt(c.non2xx)}` +
      (c.non2xx ? ` (${statusList(c.non2xxByStatus)})` : '') +
      `; no answer ${fmt(c.noAnswer)}` +
      (c.noAnswer ? ` (${statusList(c.noAnswerByKind)})` : '') +
      `; unaccounted ${fmt(c.unaccounted)}` +
      (c.answersWithoutTid ? `; ${fmt(c.answersWithoutTid)} answers without X-Tid` : ''),
    `charges recorded (ledger, type charge): ${fmt(result.charges)} totalling ${result.charged} — ` +
      `${yes(result.checks.chargesEqualSuccesses)} against the 2xx seen` +
      (result.checks.chargesEqualSuccesses ? '' : ` (difference ${fmt(result.charges - c.ok)})`),
    `  matched by tid: ${yes(result.checks.sameRequests)}; charged non-2xx answers ${fmt(result.mismatches.chargedErrors)}, ` +
      `charges for requests the bench saw no answer to ${fmt(result.mismatches.chargedUnseen)}, ` +
      `2xx not charged ${fmt(result.mismatches.uncharged)}, charged twice ${fmt(result.mismatches.chargedTwice)}`,
    `open holds: ${result.openHolds}${result.openHoldsWaitedMs > 0 ? ` (after waiting ${result.openHoldsWaitedMs} ms)` : ''}; ` +
      `expired holds: ${result.expiries}`,
    `reconcile: ${result.reconcile.ok ? 'ok' : 'NOT ok'}, ${result.reconcile.differences.length} differences, ` +
      `${result.reconcile.accountsWithoutUser.length} accounts without a user (${result.reconcile.accounts} accounts, ${result.reconcile.keys} keys)`,
    ...result.users.map(
      (user) =>
        `balance of ${user.userId}: ${user.balance} (held ${user.held}) vs top-ups ${user.topups}` +
        (user.adjustments !== '0.000000' ? ` + adjustments ${user.adjustments}` : '') +
        ` − charges ${user.charged} = ${user.expectedBalance} — ${yes(user.balanceOk)}` +
        (user.balanceOk ? '' : ` (difference ${user.balanceDifference})`),
    ),
    `usage report: ${fmt(result.usage.settled)} settled requests, ${fmt(result.usage.failed)} failed (released, not charged), ` +
      `cost ${result.usage.cost} — ${yes(result.checks.usageAgrees)}${result.usage.truncated ? ' (truncated)' : ''}`,
  ];
  // What to investigate a mismatch with: the requests named by tid, the differences reconcile lists.
  const m = result.mismatches;
  const named = (label, list) => {
    if (list.length > 0)
      lines.push(
        `  ${label}: ${list
          .slice(0, NAMED)
          .map((item) => JSON.stringify(item))
          .join(', ')}`,
      );
  };
  named('charged non-2xx, e.g.', m.chargedErrorsSample);
  named('charged but never answered to the bench, e.g.', m.chargedUnseenSample);
  named('2xx not charged, e.g.', m.unchargedSample);
  named('charged twice, e.g.', m.chargedTwiceSample);
  named('open holds, e.g.', result.openHoldsSample);
  named('expired holds, e.g.', result.expiriesSample);
  named('reconcile differences', result.reconcile.differences);
  named('accounts without a user', result.reconcile.accountsWithoutUser);
  if (result.settlementBacklogLeft) {
    lines.push(`  the settlement backlog had not drained: ${result.settlementBacklogLeft} messages left`);
  }
  lines.push(`(read through the admin API with the root key in ${(result.tookMs / 1000).toFixed(1)} s)`);
  return lines;
}

const statusList = (counts) =>
  Object.entries(counts)
    .map(([key, n]) => `${key}×${n}`)
    .join(' ');
