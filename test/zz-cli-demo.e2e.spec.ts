import { it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createChannel, createCustomer, setPrice } from './support/fixtures.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
it('demo', async () => {
  writeFileSync('/tmp/cli-demo.txt', '');
  const c = await createCustomer(suite, { balance: '10' });
  await createChannel(suite);
  await setPrice(suite, 'gpt-4o-mini');
  await fetch(`${suite.edgeUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.key}` }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
  writeFileSync('/tmp/b.csv', `user_id,amount,reason,idempotency_key\n${c.userId},-1,"x",demo-1\n${c.userId},-100,"y",demo-2\n`);
  const cmds = [
    ['users', 'list'], ['users', 'get', c.userId], ['users', 'create', '--name', 'Zed', '--email', 'z@example.com'],
    ['users', 'update', c.userId, '--group', 'vip'],
    ['keys', 'list', c.userId], ['keys', 'create', c.userId, '--name', 'ci', '--budget', '5', '--models', 'gpt-4o-mini'], ['keys', 'update', c.keyId, '--rpm-limit', '60'],
    ['channels', 'list'], ['channels', 'get', '1'], ['channels', 'health', '1'], ['channels', 'test', '1'], ['channels', 'update', '1', '--priority', '5'],
    ['prices', 'list'], ['prices', 'set', 'dall-e-3', '--input', '0', '--output', '0', '--image', '1024x1024=0.04'],
    ['groups', 'set', 'vip', '0.8'], ['groups', 'list'],
    ['topup', c.userId, '5', '--reason', 'paid', '--idempotency-key', 'demo-top'],
    ['adjust', c.userId, '-1', '--reason', 'fix', '--idempotency-key', 'demo-adj'],
    ['batch-adjust', '/tmp/b.csv', '--dry-run'], ['batch-adjust', '/tmp/b.csv'],
    ['balance', c.userId], ['holds', c.userId], ['ledger', c.userId], ['ledger', c.userId, '--csv'], ['usage'], ['reconcile'],
    ['users', 'update', c.userId, '--role', 'boss'], ['channels', 'get', '999'], ['prices', 'set', 'x', '--input', '1', '--output', 'abc'],
    ['keys', 'revoke', c.keyId], ['channels', 'delete', '1'],
  ];
  for (const args of cmds) {
    let out: string; let code = 0;
    try { out = execFileSync(process.execPath, ['dist/apps/cli/main.js', ...args], { env: { PATH: process.env.PATH, TOLLGATE_URL: suite.edgeUrl, TOLLGATE_ADMIN_KEY: suite.rootKey }, stdio: ['ignore', 'pipe', 'pipe'] }).toString(); }
    catch (e) { const err = e as { status: number; stdout: Buffer; stderr: Buffer }; code = err.status; out = err.stdout.toString() + '[stderr] ' + err.stderr.toString(); }
    appendFileSync('/tmp/cli-demo.txt', `\n$ tollgate ${args.join(' ')}   (exit ${code})\n${out}`);
  }
});
