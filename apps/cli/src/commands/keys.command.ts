import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type { CreatedKeyResponse, KeyResponse, ListResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { clearable, commaList, integer, isoDate, money, requiredText, uuid } from '../cli-input.js';
import { listText, renderRecord, renderTable, timeCell, type Column } from '../table.js';

/** A key is never shown again after creation; listings identify it by prefix and last six characters. */
const masked = (k: KeyResponse) => `${k.prefix}…${k.last6}`;

export const KEY_COLUMNS: Array<Column<KeyResponse>> = [
  { header: 'id', value: (k) => k.id },
  { header: 'name', value: (k) => k.name },
  { header: 'key', value: masked },
  { header: 'status', value: (k) => k.status },
  { header: 'models', value: (k) => listText(k.allowed_models, 'all'), wide: true },
  { header: 'budget', value: (k) => k.budget, align: 'right' },
  { header: 'rpm', value: (k) => k.rpm_limit, align: 'right' },
  { header: 'expires', value: (k) => timeCell(k.expires_at) ?? 'never', wide: true },
  { header: 'last used', value: (k) => timeCell(k.last_used_at) },
];

const renderKey = (k: KeyResponse): string =>
  renderRecord([
    ['id', k.id],
    ['user', k.user_id],
    ['name', k.name],
    ['key', masked(k)],
    ['status', k.status],
    ['expires', k.expires_at ?? 'never'],
    ['models', listText(k.allowed_models, 'all')],
    ['ip ranges', listText(k.allowed_ip_ranges, 'any')],
    ['budget', k.budget ?? 'none'],
    ['rpm limit', k.rpm_limit ?? 'none'],
    ['last used', k.last_used_at],
    ['created', k.created_at],
  ]);

interface KeyFieldOptions {
  name?: string;
  expiresAt?: string;
  models?: string;
  ipRanges?: string;
  budget?: string;
  rpmLimit?: string;
}

/** Each limit can be lifted with a word (never, all, any, none), which the API takes as null. */
function keyFields(options: KeyFieldOptions): Record<string, unknown> {
  const fields = {
    name: options.name === undefined ? undefined : requiredText(options.name, '--name', 200),
    expires_at: clearable(options.expiresAt, 'never', (text) => isoDate(text, '--expires-at')),
    allowed_models: clearable(options.models, 'all', commaList),
    allowed_ip_ranges: clearable(options.ipRanges, 'any', commaList),
    budget: clearable(options.budget, 'none', (text) => money(text, '--budget', 'non-negative')),
    rpm_limit: clearable(options.rpmLimit, 'none', (text) => integer(text, '--rpm-limit', { min: 1 })),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function keyOptions(command: Command, forUpdate: boolean): Command {
  return command
    .option('--name <name>', 'a label for the key')
    .option('--expires-at <date>', `ISO 8601 date-time${forUpdate ? '; "never" removes the expiry' : ''}`)
    .option('--models <list>', `comma-separated models the key may use${forUpdate ? '; "all" lifts the limit' : ''}`)
    .option(
      '--ip-ranges <list>',
      `comma-separated CIDRs the key may be used from${forUpdate ? '; "any" lifts it' : ''}`,
    )
    .option('--budget <amount>', `total spend allowed, e.g. 25.00${forUpdate ? '; "none" lifts it' : ''}`)
    .option('--rpm-limit <n>', `requests per minute${forUpdate ? '; "none" lifts it' : ''}`);
}

export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('API keys of a user (admin or root)');

  leaf(keys, 'list <userId>', "list a user's keys (the secrets are never shown)").action(
    async (userId: string, _options: unknown, command: Command) => {
      const list = await ctx.client().get<ListResponse<KeyResponse>>(adminPath`users/${uuid(userId, 'userId')}/keys`);
      ctx.print(command, list, () => renderTable(KEY_COLUMNS, list.data, '(no keys)', ctx.tableOptions(command)));
    },
  );

  keyOptions(leaf(keys, 'create <userId>', 'create a key; it is printed once and never again'), false).action(
    async (userId: string, options: KeyFieldOptions, command: Command) => {
      const id = uuid(userId, 'userId');
      const created = await ctx.client().post<CreatedKeyResponse>(adminPath`users/${id}/keys`, keyFields(options));
      ctx.print(
        command,
        created,
        () =>
          `${renderKey(created)}\nkey: ${created.key}\nSave this key now: it is stored only as a hash and cannot be shown again.\n`,
      );
    },
  );

  keyOptions(leaf(keys, 'update <keyId>', "change a key's name or limits"), true).action(
    async (keyId: string, options: KeyFieldOptions, command: Command) => {
      const id = uuid(keyId, 'keyId');
      const body = keyFields(options);
      if (Object.keys(body).length === 0) {
        throw new UsageError(
          'nothing to change: give at least one of --name, --expires-at, --models, --ip-ranges, --budget, --rpm-limit',
        );
      }
      const key = await ctx.client().patch<KeyResponse>(adminPath`keys/${id}`, body);
      ctx.print(command, key, () => renderKey(key));
    },
  );

  leaf(keys, 'revoke <keyId>', 'revoke a key (refused everywhere within a second)').action(
    async (keyId: string, _options: unknown, command: Command) => {
      const key = await ctx.client().post<KeyResponse>(adminPath`keys/${uuid(keyId, 'keyId')}/revoke`);
      ctx.print(command, key, () => renderKey(key));
    },
  );
}
