import { randomUUID } from 'node:crypto';
import { NatsBus } from '@tollgate/nats';
import { BillingSubjects } from '@tollgate/contracts';
import { createLogger } from '@tollgate/observability';
const bus = await NatsBus.connect({ servers: 'nats://127.0.0.1:4333', name: 'manual', requestTimeoutMs: 3000, logger: createLogger('manual', 'silent') });
const r = (s, d) => bus.request(s, d);
async function time(label, fn, n = 3000) {
  for (let i = 0; i < 300; i++) await fn();
  const t = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  t.sort((a, b) => a - b);
  console.log(label, 'p50', t[n / 2].toFixed(3), 'p90', t[Math.floor(n * 0.9)].toFixed(3), 'p99', t[Math.floor(n * 0.99)].toFixed(3));
}
await r(BillingSubjects.setPrice, { model: 'gpt-x', inputPerMillionMicros: '2500000', outputPerMillionMicros: '10000000' });
await time('ping', () => r(BillingSubjects.ping, {}));
let users = [];
for (let i = 0; i < 50; i++) { const userId = randomUUID(); users.push(userId); await r(BillingSubjects.topUp, { userId, amountMicros: '100000000000', actor: 'me', reason: 'x', idempotencyKey: randomUUID() }); }
let i = 0;
await time('reserve', async () => {
  const userId = users[i++ % 50];
  const rep = await r(BillingSubjects.reserve, { userId, keyId: userId, keySuffix: 'abcdef', group: 'vip', model: 'gpt-x', rpmLimit: null, budgetMicros: null, estimate: { inputTokens: 1000, outputTokens: 500, images: 0, imageSize: null, characters: 0 } });
  if (!rep.ok) throw new Error(JSON.stringify(rep));
});
console.log('reconcile ok:', (await r(BillingSubjects.reconcile, {})).ok);
await bus.close();
