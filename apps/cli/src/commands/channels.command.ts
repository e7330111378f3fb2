import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AZURE_DEFAULT_API_VERSION, CHANNEL_TYPES, LIMITS, SETTABLE_CHANNEL_STATUSES } from '@tollgate/contracts';
import { adminPath } from '../admin-client.js';
import type {
  ChannelDeletedResponse,
  ChannelHealthResponse,
  ChannelResponse,
  ChannelTestResponse,
  ListResponse,
} from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import {
  apiVersion,
  channelId,
  choice,
  collect,
  commaList,
  group,
  integer,
  keyValue,
  requiredText,
} from '../cli-input.js';
import { listText, renderRecord, renderTable, type Column } from '../table.js';

export const CHANNEL_COLUMNS: Array<Column<ChannelResponse>> = [
  { header: 'id', value: (c) => c.id, align: 'right' },
  { header: 'name', value: (c) => c.name },
  { header: 'status', value: (c) => c.status },
  { header: 'priority', value: (c) => c.priority, align: 'right' },
  { header: 'weight', value: (c) => c.weight, align: 'right' },
  { header: 'models', value: (c) => listText(c.models) },
  { header: 'groups', value: (c) => listText(c.groups, 'all') },
  { header: 'base url', value: (c) => c.base_url, wide: true },
];

const renderChannel = (c: ChannelResponse): string =>
  renderRecord([
    ['id', c.id],
    ['name', c.name],
    ['type', c.type],
    ['base url', c.base_url],
    ...(c.api_version === null ? [] : [['api version', c.api_version] as [string, string]]),
    ['api key', `…${c.api_key_last4}`],
    ['models', listText(c.models)],
    [
      'model mapping',
      listText(
        Object.entries(c.model_mapping ?? {}).map(([from, to]) => `${from} → ${to}`),
        'none',
      ),
    ],
    ['groups', listText(c.groups, 'all')],
    ['priority', c.priority],
    ['weight', c.weight],
    ['status', c.status_reason ? `${c.status} (${c.status_reason})` : c.status],
    [
      'timeouts',
      `connect ${c.timeouts.connect_ms} ms, first byte ${c.timeouts.first_byte_ms} ms, idle ${c.timeouts.idle_ms} ms`,
    ],
    ['created', c.created_at],
    ['updated', c.updated_at],
  ]);

interface ChannelOptions {
  name?: string;
  type?: string;
  baseUrl?: string;
  apiVersion?: string;
  apiKey?: string;
  apiKeyFile?: string;
  models?: string;
  mapping?: string[];
  groups?: string;
  priority?: string;
  weight?: string;
  status?: string;
  connectMs?: string;
  firstByteMs?: string;
  idleMs?: string;
}

function baseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--base-url must be an http(s) URL such as https://api.openai.com/v1 (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--base-url must start with http:// or https:// (got "${text}")`);
  }
  return text.trim();
}

/** The upstream secret from --api-key or a file; a file keeps it out of shell history and the process list. */
function apiKey(options: ChannelOptions, read: (path: string) => string): string | undefined {
  if (options.apiKey !== undefined && options.apiKeyFile !== undefined) {
    throw new UsageError('give --api-key or --api-key-file, not both');
  }
  if (options.apiKeyFile === undefined) {
    return options.apiKey === undefined ? undefined : requiredText(options.apiKey, '--api-key', 4096);
  }
  let text: string;
  try {
    text = read(options.apiKeyFile);
  } catch (error) {
    throw new UsageError(
      `--api-key-file ${options.apiKeyFile} could not be read: ${(error as { code?: string }).code ?? String(error)}`,
    );
  }
  return requiredText(text, `the key in ${options.apiKeyFile}`, 4096);
}

function channelBody(options: ChannelOptions, read: (path: string) => string): Record<string, unknown> {
  const ms = (text: string | undefined, option: string) =>
    text === undefined ? undefined : integer(text, option, { min: 1, max: LIMITS.timeoutMs });
  const timeouts = Object.fromEntries(
    Object.entries({
      connect_ms: ms(options.connectMs, '--connect-ms'),
      first_byte_ms: ms(options.firstByteMs, '--first-byte-ms'),
      idle_ms: ms(options.idleMs, '--idle-ms'),
    }).filter(([, value]) => value !== undefined),
  );
  const groups = options.groups === undefined ? undefined : commaList(options.groups);
  groups?.forEach((name) => group(name, '--groups entry'));
  const fields = {
    name: options.name === undefined ? undefined : requiredText(options.name, '--name', 200),
    type: choice(options.type, CHANNEL_TYPES, '--type'),
    base_url: options.baseUrl === undefined ? undefined : baseUrl(options.baseUrl),
    api_version: apiVersion(options.apiVersion),
    api_key: apiKey(options, read),
    models: options.models === undefined ? undefined : commaList(options.models),
    model_mapping:
      options.mapping === undefined
        ? undefined
        : Object.fromEntries(options.mapping.map((pair) => keyValue(pair, '--mapping'))),
    groups,
    priority:
      options.priority === undefined
        ? undefined
        : integer(options.priority, '--priority', { min: -LIMITS.int4, max: LIMITS.int4 }),
    weight:
      options.weight === undefined ? undefined : integer(options.weight, '--weight', { min: 1, max: LIMITS.int4 }),
    status: choice(options.status, SETTABLE_CHANNEL_STATUSES, '--status'),
    timeouts: Object.keys(timeouts).length > 0 ? timeouts : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function channelOptions(command: Command): Command {
  return command
    .option('--name <name>', 'a label for the channel')
    .option('--type <type>', `upstream kind: ${CHANNEL_TYPES.join(', ')}`)
    .option(
      '--base-url <url>',
      'base URL: openai ends in /v1; azure is the resource endpoint; anthropic has no version path; gemini is the API host',
    )
    .option(
      '--api-version <version>',
      `azure only: the api-version (default ${AZURE_DEFAULT_API_VERSION}); 'default' clears it`,
    )
    .option('--api-key <key>', 'the upstream key (stored encrypted, never shown again)')
    .option('--api-key-file <path>', 'read the upstream key from a file instead')
    .option('--models <list>', 'comma-separated models served')
    .option('--mapping <from=to>', 'rename a model for the upstream (repeatable)', collect)
    .option('--groups <list>', 'comma-separated user groups allowed (default all)')
    .option('--priority <n>', 'higher is tried first')
    .option('--weight <n>', 'share of traffic within a priority')
    .option('--status <status>', SETTABLE_CHANNEL_STATUSES.join(' or '))
    .option('--connect-ms <ms>', 'connect timeout')
    .option('--first-byte-ms <ms>', 'timeout for the first byte of the answer')
    .option('--idle-ms <ms>', 'timeout between streamed chunks');
}

export function registerChannelCommands(program: Command, ctx: CliContext): void {
  const channels = program.command('channels').description('upstream channels (admin or root)');
  const read = ctx.deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));

  leaf(channels, 'list', 'list channels').action(async (_options: unknown, command: Command) => {
    const list = await ctx.client().get<ListResponse<ChannelResponse>>('channels');
    ctx.print(command, list, () => renderTable(CHANNEL_COLUMNS, list.data, '(no channels)', ctx.tableOptions(command)));
  });

  leaf(channels, 'get <id>', 'show one channel').action(async (id: string, _options: unknown, command: Command) => {
    const channel = await ctx.client().get<ChannelResponse>(adminPath`channels/${channelId(id)}`);
    ctx.print(command, channel, () => renderChannel(channel));
  });

  channelOptions(leaf(channels, 'create', 'add a channel (needs --name, --base-url, --api-key and --models)')).action(
    async (options: ChannelOptions, command: Command) => {
      const body = channelBody(options, read);
      const missing = (['name', 'base_url', 'api_key', 'models'] as const).filter((field) => body[field] === undefined);
      if (missing.length > 0) {
        throw new UsageError(`a new channel needs ${missing.map((f) => `--${f.replace('_', '-')}`).join(', ')}`);
      }
      const channel = await ctx.client().post<ChannelResponse>('channels', body);
      ctx.print(command, channel, () => renderChannel(channel));
    },
  );

  channelOptions(leaf(channels, 'update <id>', 'change a channel (only the options given)')).action(
    async (id: string, options: ChannelOptions, command: Command) => {
      const channelNumber = channelId(id);
      const body = channelBody(options, read);
      if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option');
      const channel = await ctx.client().patch<ChannelResponse>(adminPath`channels/${channelNumber}`, body);
      ctx.print(command, channel, () => renderChannel(channel));
    },
  );

  leaf(channels, 'delete <id>', 'delete a channel').action(async (id: string, _options: unknown, command: Command) => {
    const deleted = await ctx.client().delete<ChannelDeletedResponse>(adminPath`channels/${channelId(id)}`);
    ctx.print(command, deleted, () => `channel ${deleted.id} deleted\n`);
  });

  leaf(channels, 'test <id>', 'send one real request upstream; exits 1 when it fails')
    .option('--model <model>', "the model to try (default: the channel's first)")
    .action(async (id: string, options: { model?: string }, command: Command) => {
      const channelNumber = channelId(id);
      const body = options.model === undefined ? {} : { model: requiredText(options.model, '--model', 200) };
      const result = await ctx.client().post<ChannelTestResponse>(adminPath`channels/${channelNumber}/test`, body);
      ctx.print(command, result, () =>
        renderRecord([
          ['ok', result.ok],
          ['status', result.status],
          ['latency', result.latency_ms === null ? null : `${result.latency_ms} ms`],
          ['error', result.error],
        ]),
      );
      if (!result.ok) ctx.fail();
    });

  leaf(channels, 'health <id>', 'state, cooldown and recent errors of a channel').action(
    async (id: string, _options: unknown, command: Command) => {
      const health = await ctx.client().get<ChannelHealthResponse>(adminPath`channels/${channelId(id)}/health`);
      ctx.print(command, health, () =>
        [
          renderRecord([
            ['state', health.state],
            ['cooldown until', health.cooldown_until],
            ['consecutive failures', health.consecutive_failures],
          ]),
          '\nrecent errors:\n',
          renderTable(
            [
              { header: 'at', value: (e) => e.at },
              { header: 'status', value: (e) => e.status, align: 'right' },
              { header: 'code', value: (e) => e.error_code },
            ],
            health.recent_errors,
          ),
        ].join(''),
      );
    },
  );
}
