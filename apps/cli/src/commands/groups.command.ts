import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type { GroupResponse, ListResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { group, multiplier } from '../cli-input.js';
import { renderTable, timeCell, type Column } from '../table.js';

export const GROUP_COLUMNS: Array<Column<GroupResponse>> = [
  { header: 'group', value: (g) => g.group },
  { header: 'multiplier', value: (g) => g.multiplier, align: 'right' },
  { header: 'updated', value: (g) => timeCell(g.updated_at) },
];

export function registerGroupCommands(program: Command, ctx: CliContext): void {
  const groups = program.command('groups').description('price multipliers of user groups (billing, admin or root)');

  leaf(groups, 'list', 'list group multipliers').action(async (_options: unknown, command: Command) => {
    const list = await ctx.client().get<ListResponse<GroupResponse>>('groups');
    ctx.print(command, list, () =>
      renderTable(GROUP_COLUMNS, list.data, '(no group multipliers)', ctx.tableOptions(command)),
    );
  });

  leaf(groups, 'set <group> <multiplier>', 'set a group\'s multiplier, e.g. "0.8" for 20% off').action(
    async (name: string, value: string, _options: unknown, command: Command) => {
      const groupName = group(name) as string;
      const body = { multiplier: multiplier(value) };
      const result = await ctx.client().put<GroupResponse>(adminPath`groups/${groupName}/multiplier`, body);
      ctx.print(command, result, () => renderTable(GROUP_COLUMNS, [result]));
    },
  );
}
