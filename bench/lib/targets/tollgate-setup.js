/**
 * Provisioning through the admin API with the root key, exactly as an operator would: a user with a key,
 * one channel per fake-provider instance, prices for the bench models and a top-up. Every call's status is
 * checked and a failure is reported with the answer's body — a bench that measures 401s fast is worse than
 * no bench.
 */
import { request } from 'undici';
import { DIALECT_PROFILES, PROFILES } from '../profiles.js';

/** Far above anything the bench can send in a minute: the limit is checked on every request, never binding. */
const BENCH_KEY_RPM = 100_000_000;

/** One admin API call with the root key; a non-2xx answer throws with its status and body. */
export async function adminCall(edgeUrl, rootKey, method, path, body) {
  const res = await request(`${edgeUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new Error(`${method} ${path} → ${res.statusCode}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/**
 * `users`: how many users (one key each) the load is spread over. One (the default) is one tenant pushing
 * hard: every request then updates the same balance, key-spend and rate-window rows.
 */
export async function setUpTollgate({ edgeUrl, rootKey, upstreams, users = 1 }) {
  const call = (method, path, body) => adminCall(edgeUrl, rootKey, method, path, body);

  // One channel per upstream, listing the models routed to it. The client's model name is the upstream
  // model name (no model_mapping), as for the peers: no body rewrite that the peers do not do either.
  const modelsByUpstream = {};
  for (const profile of Object.values(PROFILES)) {
    (modelsByUpstream[profile.upstream] ??= new Set()).add(profile.model);
  }
  const channels = [];
  for (const [upstream, models] of Object.entries(modelsByUpstream)) {
    channels.push(
      await call('POST', '/admin/v1/channels', {
        name: `bench-${upstream}`,
        base_url: `${upstreams[upstream].url}/v1`,
        api_key: 'sk-fake',
        models: [...models],
      }),
    );
  }
  // The client-dialect routes: one channel of each type on the 0 ms instance. An anthropic channel's base
  // URL is the API's root (the adapter appends /v1/messages).
  for (const type of ['openai', 'anthropic']) {
    const models = Object.values(DIALECT_PROFILES)
      .filter((profile) => profile.channelType === type)
      .map((profile) => profile.model);
    channels.push(
      await call('POST', '/admin/v1/channels', {
        name: `bench-dialects-${type}`,
        type,
        base_url: type === 'anthropic' ? upstreams.fake0.url : `${upstreams.fake0.url}/v1`,
        api_key: 'sk-fake',
        models,
      }),
    );
  }
  const models = [...Object.values(PROFILES), ...Object.values(DIALECT_PROFILES)].map((profile) => profile.model);
  for (const model of new Set(models)) {
    await call('PUT', `/admin/v1/prices/${model}`, { input_per_million: '0.15', output_per_million: '0.60' });
  }

  const keys = [];
  const userIds = [];
  for (let i = 0; i < users; i++) {
    const user = await call('POST', '/admin/v1/users', { name: `bench-${Date.now()}-${i}` });
    const created = await call('POST', `/admin/v1/users/${user.id}/keys`, { name: 'bench', rpm_limit: BENCH_KEY_RPM });
    if (typeof created?.key !== 'string') {
      throw new Error(`key creation answered without a key: ${JSON.stringify(created)}`);
    }
    if (created.rpm_limit !== BENCH_KEY_RPM) {
      throw new Error(
        `the key's rpm_limit is ${created.rpm_limit}, not ${BENCH_KEY_RPM}: the bench would be throttled`,
      );
    }
    await call('POST', `/admin/v1/users/${user.id}/topups`, {
      amount: '1000000',
      reason: 'bench',
      idempotency_key: `bench-topup-${i}`,
    });
    keys.push(created.key);
    userIds.push(user.id);
  }
  return { userIds, keys, channelIds: channels.map((channel) => channel.id) };
}
