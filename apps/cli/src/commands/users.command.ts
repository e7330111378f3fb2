import type { Command } from 'commander';
import { LIMITS, ROLES, USER_STATUSES } from '@tollgate/contracts';
import { adminPath } from '../admin-client.js';
import type { ListResponse, UserResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { choice, clearable, group, integer, requiredText, uuid } from '../cli-input.js';
import { renderRecord, renderTable, timeCell, type Column } from '../table.js';

export const USER_COLUMNS: Array<Column<UserResponse>> = [
  { header: 'id', value: (u) => u.id },
  { header: 'name', value: (u) => u.name },
  { header: 'email', value: (u) => u.email },
  { header: 'role', value: (u) => u.role },
  { header: 'group', value: (u) => u.group },
  { header: 'status', value: (u) => u.status },
  { header: 'created', value: (u) => timeCell(u.created_at), wide: true },
];

export const renderUser = (u: UserResponse): string =>
  renderRecord([
    ['id', u.id],
    ['name', u.name],
    ['email', u.email],
    ['role', u.role],
    ['group', u.group],
    ['status', u.status],
    ['created', u.created_at],
    ['updated', u.updated_at],
  ]);

interface UserFieldOptions {
  name?: string;
  email?: string;
  role?: string;
  group?: string;
  status?: string;
}

/** The body fields both create and update take; `--email none` clears the address. */
function userFields(options: UserFieldOptions): Record<string, unknown> {
  const fields = {
    name: options.name === undefined ? undefined : requiredText(options.name, '--name', 200),
    email: clearable(options.email, 'none', (text) => requiredText(text, '--email', 320)),
    role: choice(options.role, ROLES, '--role'),
    group: group(options.group, '--group'),
    status: choice(options.status, USER_STATUSES, '--status'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function registerUserCommands(program: Command, ctx: CliContext): void {
  const users = program
    .command('users')
    .description('users and their roles (billing staff find and read them; admin or root change them)');

  leaf(users, 'list', 'list users, a page at a time, or find them with --search')
    .option('--search <text>', 'only users whose name or e-mail contains this (any case), or whose id it is')
    .option('--limit <n>', `users per page, 1–${LIMITS.usersPage} (default 50)`)
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .action(async (options: { search?: string; limit?: string; cursor?: string }, command: Command) => {
      const limit =
        options.limit === undefined ? undefined : integer(options.limit, '--limit', { min: 1, max: LIMITS.usersPage });
      const page = await ctx
        .client()
        .get<ListResponse<UserResponse>>('users', { limit, cursor: options.cursor, search: options.search });
      const none = options.search === undefined ? '(no users)' : `(no user matches "${options.search}")`;
      ctx.print(command, page, () => renderTable(USER_COLUMNS, page.data, none, ctx.tableOptions(command)));
      if (page.next_cursor && !ctx.wantsJson(command)) ctx.note(`more users: --cursor ${page.next_cursor}`);
    });

  leaf(users, 'get <userId>', 'show one user').action(async (userId: string, _options: unknown, command: Command) => {
    const user = await ctx.client().get<UserResponse>(adminPath`users/${uuid(userId, 'userId')}`);
    ctx.print(command, user, () => renderUser(user));
  });

  leaf(users, 'create', 'create a user (give it a key with `keys create`)')
    .requiredOption('--name <name>', 'display name')
    .option('--email <email>', 'contact address')
    .option('--role <role>', `one of ${ROLES.join(', ')} (default user)`)
    .option('--group <group>', 'price group (default "default")')
    .action(async (options: UserFieldOptions, command: Command) => {
      const body = userFields({ ...options, status: undefined });
      const user = await ctx.client().post<UserResponse>('users', body);
      ctx.print(command, user, () => renderUser(user));
    });

  leaf(users, 'update <userId>', 'change a user; suspending one stops all of its keys')
    .option('--name <name>', 'display name')
    .option('--email <email>', 'contact address; "none" removes it')
    .option('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--group <group>', 'price group')
    .option('--status <status>', `one of ${USER_STATUSES.join(', ')}`)
    .action(async (userId: string, options: UserFieldOptions, command: Command) => {
      const id = uuid(userId, 'userId');
      const body = userFields(options);
      if (Object.keys(body).length === 0) {
        throw new UsageError('nothing to change: give at least one of --name, --email, --role, --group, --status');
      }
      const user = await ctx.client().patch<UserResponse>(adminPath`users/${id}`, body);
      ctx.print(command, user, () => renderUser(user));
    });
}
