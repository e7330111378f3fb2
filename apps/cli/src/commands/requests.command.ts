import type { Command } from 'commander';
import { adminPath } from '../admin-client.js';
import type { ListResponse, RequestLogEntryResponse, RequestTraceResponse } from '../api-views.js';
import { leaf, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { channelId, integer, isoDate, keyIdFilter, requestStatus, requiredText, tid, uuid } from '../cli-input.js';
import { clip, nameAndId, nameCell, renderRecord, renderTable, type Column } from '../table.js';

/** An instant as `2026-12-02 16:06:52` (UTC): the table's width is spent on the tid, not on milliseconds. */
const shortTime = (instant: string | null): string | null =>
  instant === null ? null : instant.replace('T', ' ').slice(0, 19);

/**
 * At most 120 characters wide: 19 + 32 + 18 + 6 + 3 + 6 + 6 + 9 + 5, and two
 * spaces between columns, with the model clipped and six-digit token counts.
 * The user, the key and the rest are in --json and in `request <tid>`.
 */
const REQUEST_COLUMNS: Array<Column<RequestLogEntryResponse>> = [
  { header: 'settled (UTC)', value: (r) => shortTime(r.created_at) },
  { header: 'tid', value: (r) => r.tid },
  { header: 'model', value: (r) => clip(r.model, 18) },
  { header: 'status', value: (r) => r.status, align: 'right' },
  { header: 'ch', value: (r) => r.channel_id, align: 'right' },
  { header: 'input', value: (r) => r.input_tokens, align: 'right' },
  { header: 'output', value: (r) => r.output_tokens, align: 'right' },
  { header: 'cost', value: (r) => r.cost, align: 'right' },
  { header: 'ms', value: (r) => r.latency_ms, align: 'right' },
];

type TracedLedgerLine = RequestTraceResponse['requests'][number]['ledger'][number];
const LEDGER_COLUMNS: Array<Column<TracedLedgerLine>> = [
  { header: 'ledger', value: (e) => e.type },
  { header: 'amount', value: (e) => e.amount, align: 'right' },
  { header: 'balance after', value: (e) => e.balance_after, align: 'right' },
  { header: 'at (UTC)', value: (e) => shortTime(e.created_at) },
  { header: 'by', value: (e) => nameCell(e.actor_name, e.actor) },
  { header: 'entry', value: (e) => e.id, align: 'right' },
];

/** One request of a trace: what it was, its hold, its ledger lines. */
function renderTracedRequest({ request, hold, ledger }: RequestTraceResponse['requests'][number]): string {
  return [
    renderRecord([
      ['tid', request.tid],
      ['settled', request.created_at],
      ['user', nameAndId(request.user_name, request.user_id)],
      ['key', nameAndId(request.key_name, request.key_id)],
      ['model', request.model],
      ['channel', request.channel_id],
      ['status', `${request.status} (${request.succeeded ? 'charged' : 'failed, released'})`],
      ['stream', request.stream],
      ['latency ms', request.latency_ms],
      [
        'tokens',
        `${request.input_tokens} in (${request.cached_input_tokens} cached, ${request.cache_write_tokens} cache write), ` +
          `${request.output_tokens} out (${request.reasoning_tokens} reasoning)`,
      ],
      ['images, chars, audio s', `${request.images}, ${request.characters}, ${request.audio_seconds}`],
      ['cost', request.cost],
      ['hold', hold?.id],
      ['hold status', hold?.status],
      ['held', hold?.held],
      ['charged', hold?.charged],
      ['grant', hold?.grant_id],
    ]),
    renderTable(LEDGER_COLUMNS, ledger, '(no ledger lines)'),
  ].join('\n');
}

interface RequestsOptions {
  tid?: string;
  user?: string;
  key?: string;
  model?: string;
  channel?: string;
  status?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
  csv?: boolean;
}

export function registerRequestCommands(program: Command, ctx: CliContext): void {
  leaf(program, 'requests', 'the request log: settled requests, newest first')
    .option('--tid <tid>', 'only the request(s) with this tid')
    .option('--user <userId>', 'only this user')
    // The global admin key goes before the command (tollgate --key K requests), so here --key is free for the filter.
    .option('--key <keyId>', 'only this API key (its id)')
    .option('--model <model>', 'only this model')
    .option('--channel <id>', 'only this channel')
    .option('--status <status>', 'ok (charged), failed (released), or the HTTP status the client got, e.g. 502')
    .option('--from <date>', 'settled at or after this ISO 8601 date or date-time')
    .option('--to <date>', 'settled before this ISO 8601 date or date-time')
    .option('--limit <n>', 'requests per page, 1–500 (default 50)')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--csv', 'print every matching request (from --cursor on) as CSV instead of a table')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tollgate requests --user <userId> --status failed --from 2026-12-01\n' +
        '  tollgate requests --model gpt-4o --csv > requests.csv\n' +
        '  tollgate request <tid>\n',
    )
    .action(async (options: RequestsOptions, command: Command) => {
      const query = {
        tid: options.tid === undefined ? undefined : tid(options.tid, '--tid'),
        user_id: options.user === undefined ? undefined : uuid(options.user, '--user'),
        key_id: options.key === undefined ? undefined : keyIdFilter(options.key, 'requests'),
        model: options.model === undefined ? undefined : requiredText(options.model, '--model', 200),
        channel_id: options.channel === undefined ? undefined : channelId(options.channel),
        status: requestStatus(options.status),
        from: isoDate(options.from, '--from'),
        to: isoDate(options.to, '--to'),
        limit: options.limit === undefined ? undefined : integer(options.limit, '--limit', { min: 1, max: 500 }),
        cursor: options.cursor,
      };
      if (options.csv && ctx.wantsJson(command)) throw new UsageError('--csv and --json cannot be combined');
      if (options.csv && query.limit !== undefined) {
        throw new UsageError('--csv prints every matching request; narrow it with the filters instead of --limit');
      }
      if (options.csv) {
        const { text } = await ctx.client().getText('requests', { ...query, format: 'csv' });
        ctx.deps.io.stdout(text);
        return;
      }
      const page = await ctx.client().get<ListResponse<RequestLogEntryResponse>>('requests', query);
      ctx.print(command, page, () => renderTable(REQUEST_COLUMNS, page.data, '(no requests)'));
      if (page.next_cursor && !ctx.wantsJson(command)) ctx.note(`more requests: --cursor ${page.next_cursor}`);
    });

  leaf(program, 'request <tid>', 'what happened to one request: the request, its hold and its ledger lines').action(
    async (text: string, _options: unknown, command: Command) => {
      const trace = await ctx.client().get<RequestTraceResponse>(adminPath`requests/${tid(text, 'tid')}`);
      ctx.print(command, trace, () => trace.requests.map(renderTracedRequest).join('\n'));
      if (trace.requests.length > 1 && !ctx.wantsJson(command)) {
        ctx.note(`${trace.requests.length} requests were settled under this tid (the client sent it more than once)`);
      }
    },
  );
}
