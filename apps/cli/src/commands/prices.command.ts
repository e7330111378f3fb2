import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type { ListResponse, PriceResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { collect, keyValue, money, requiredText } from '../cli-input.js';
import { renderRecord, renderTable, type Column } from '../table.js';

const imagePrices = (p: PriceResponse) =>
  Object.entries(p.image_prices ?? {})
    .map(([size, price]) => `${size}=${price}`)
    .join(', ');

const PRICE_COLUMNS: Array<Column<PriceResponse>> = [
  { header: 'model', value: (p) => p.model },
  { header: 'input / 1M', value: (p) => p.input_per_million, align: 'right' },
  { header: 'output / 1M', value: (p) => p.output_per_million, align: 'right' },
  { header: 'chars / 1M', value: (p) => p.characters_per_million, align: 'right' },
  { header: 'images', value: imagePrices },
  { header: 'updated', value: (p) => p.updated_at },
];

interface PriceOptions {
  input: string;
  output: string;
  image?: string[];
  characters?: string;
}

export function registerPriceCommands(program: Command, ctx: CliContext): void {
  const prices = program.command('prices').description('model prices, per million tokens (billing, admin or root)');

  leaf(prices, 'list', 'list model prices').action(async (_options: unknown, command: Command) => {
    const list = await ctx.client().get<ListResponse<PriceResponse>>('prices');
    ctx.print(command, list, () => renderTable(PRICE_COLUMNS, list.data, '(no prices)'));
  });

  leaf(prices, 'set <model>', "set a model's price (replaces what was there)")
    .requiredOption('--input <price>', 'per million input tokens, e.g. 0.15')
    .requiredOption('--output <price>', 'per million output tokens, e.g. 0.60')
    .option('--image <size=price>', 'per image of that size, e.g. 1024x1024=0.04 (repeatable)', collect)
    .option('--characters <price>', 'per million characters of speech input')
    .addHelpText('after', '\nExample:\n  tollgate prices set gpt-4o-mini --input 0.15 --output 0.60\n')
    .action(async (model: string, options: PriceOptions, command: Command) => {
      const images = (options.image ?? []).map((pair) => keyValue(pair, '--image'));
      const body = {
        input_per_million: money(options.input, '--input', 'non-negative'),
        output_per_million: money(options.output, '--output', 'non-negative'),
        ...(images.length > 0
          ? {
              image_prices: Object.fromEntries(
                images.map(([size, price]) => [size, money(price, `--image ${size}`, 'non-negative')]),
              ),
            }
          : {}),
        ...(options.characters === undefined
          ? {}
          : { characters_per_million: money(options.characters, '--characters', 'non-negative') }),
      };
      const name = requiredText(model, 'model', 200);
      const price = await ctx.client().put<PriceResponse>(adminPath`prices/${name}`, body);
      ctx.print(command, price, () =>
        renderRecord([
          ['model', price.model],
          ['input / 1M', price.input_per_million],
          ['output / 1M', price.output_per_million],
          ['characters / 1M', price.characters_per_million],
          ['images', imagePrices(price)],
          ['updated', price.updated_at],
        ]),
      );
    });
}
