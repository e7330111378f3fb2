import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type { ListResponse, PriceResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { clearable, collect, keyValue, money, requiredText } from '../cli-input.js';
import { renderRecord, renderTable, timeCell, type Column } from '../table.js';

const imagePrices = (p: PriceResponse) =>
  Object.entries(p.image_prices ?? {})
    .map(([size, price]) => `${size}=${price}`)
    .join(', ');

/** A token part's price, or the price it follows when it has none of its own. */
const partPrice = (price: string | null, whole: 'input' | 'output') => price ?? `= ${whole}`;

export const PRICE_COLUMNS: Array<Column<PriceResponse>> = [
  { header: 'model', value: (p) => p.model },
  { header: 'input / 1M', value: (p) => p.input_per_million, align: 'right' },
  { header: 'cached / 1M', value: (p) => partPrice(p.cached_input_per_million, 'input'), align: 'right' },
  {
    header: 'cache write / 1M',
    value: (p) => partPrice(p.cache_write_per_million, 'input'),
    align: 'right',
    wide: true,
  },
  { header: 'output / 1M', value: (p) => p.output_per_million, align: 'right' },
  { header: 'reasoning / 1M', value: (p) => partPrice(p.reasoning_per_million, 'output'), align: 'right', wide: true },
  { header: 'chars / 1M', value: (p) => p.characters_per_million, align: 'right', wide: true },
  { header: 'images', value: imagePrices },
  { header: 'audio / min', value: (p) => p.audio_per_minute ?? '-', align: 'right', wide: true },
  { header: 'updated', value: (p) => timeCell(p.updated_at), wide: true },
];

interface PriceOptions {
  input: string;
  output: string;
  image?: string[];
  characters?: string;
  cachedInput?: string;
  cacheWrite?: string;
  reasoning?: string;
  audioMinute?: string;
}

/** "none" gives a token part no price of its own: it is charged at the input (or output) price. */
const partPriceOption = (text: string | undefined, option: string) =>
  clearable(text, 'none', (value) => money(value, option, 'non-negative'));

export function registerPriceCommands(program: Command, ctx: CliContext): void {
  const prices = program.command('prices').description('model prices, per million tokens (billing, admin or root)');

  leaf(prices, 'list', 'list model prices').action(async (_options: unknown, command: Command) => {
    const list = await ctx.client().get<ListResponse<PriceResponse>>('prices');
    ctx.print(command, list, () => renderTable(PRICE_COLUMNS, list.data, '(no prices)', ctx.tableOptions(command)));
  });

  leaf(prices, 'set <model>', "set a model's prices (the optional ones not given keep their value)")
    .requiredOption('--input <price>', 'per million input tokens, e.g. 0.15')
    .requiredOption('--output <price>', 'per million output tokens, e.g. 0.60')
    .option('--cached-input <price>', 'per million input tokens read from the prompt cache; "none": at --input')
    .option('--cache-write <price>', 'per million input tokens written to the prompt cache; "none": at --input')
    .option('--reasoning <price>', 'per million reasoning tokens (part of the output); "none": at --output')
    .option('--image <size=price>', 'per image of that size, e.g. 1024x1024=0.04 (repeatable)', collect)
    .option('--characters <price>', 'per million characters of speech input')
    .option('--audio-minute <price>', 'per minute of audio (whisper-1: 0.006); "none": not priced by duration')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tollgate prices set gpt-4o-mini --input 0.15 --output 0.60\n' +
        '  tollgate prices set o3 --input 2 --cached-input 0.50 --output 8 --reasoning none\n' +
        '  tollgate prices set whisper-1 --input 0 --output 0 --audio-minute 0.006\n',
    )
    .action(async (model: string, options: PriceOptions, command: Command) => {
      const images = (options.image ?? []).map((pair) => keyValue(pair, '--image'));
      const parts = {
        cached_input_per_million: partPriceOption(options.cachedInput, '--cached-input'),
        cache_write_per_million: partPriceOption(options.cacheWrite, '--cache-write'),
        reasoning_per_million: partPriceOption(options.reasoning, '--reasoning'),
        audio_per_minute: partPriceOption(options.audioMinute, '--audio-minute'),
      };
      const body = {
        input_per_million: money(options.input, '--input', 'non-negative'),
        output_per_million: money(options.output, '--output', 'non-negative'),
        ...Object.fromEntries(Object.entries(parts).filter(([, price]) => price !== undefined)),
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
          ['cached input / 1M', partPrice(price.cached_input_per_million, 'input')],
          ['cache write / 1M', partPrice(price.cache_write_per_million, 'input')],
          ['output / 1M', price.output_per_million],
          ['reasoning / 1M', partPrice(price.reasoning_per_million, 'output')],
          ['characters / 1M', price.characters_per_million],
          ['images', imagePrices(price)],
          ['audio / minute', price.audio_per_minute ?? '-'],
          ['updated', price.updated_at],
        ]),
      );
    });
}
