import { Readable } from 'node:stream';
import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ADMIN_ROUTES as R, BillingSubjects } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import type { EdgeConfig } from '../edge.config.js';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { EDGE_CONFIG, NATS_BUS } from '../tokens.js';
import { unwrap } from './admin-input.js';
import { toRequestLogEntryResponse, toRequestTraceResponse, traceNameIds, userKeyNameIds } from './admin-views.js';
import { namesOf, namesOverBus, type NamesAsker } from './names.js';
import { requestLogCsv } from './request-log-csv.js';
import { readRequestLogPage, type RequestLogPartReader } from './request-log-parts.js';
import { requestLogFilter } from './request-log-query.js';

const DEFAULT_PAGE = 50;

/**
 * The request log (issue 16, item 4): what billing settled, a request at a
 * time, for staff answering a customer who quotes a tid.
 */
@Controller()
export class RequestLogController {
  private readonly askNames: NamesAsker;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(EDGE_CONFIG) private readonly config: Pick<EdgeConfig, 'REQUEST_LOG_CSV_MAX_ROWS'>,
  ) {
    this.askNames = namesOverBus(bus);
  }

  /** Newest first, a page at a time; `format=csv` streams every page of the filter as one download. */
  @Serve(R.listRequests)
  async list(
    @Checked() { query }: CheckedInput<typeof R.listRequests>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const filter = requestLogFilter(query);
    const cursor = query.cursor ?? null;
    const readPart: RequestLogPartReader = async (partCursor, limit) =>
      unwrap(await this.bus.request(BillingSubjects.requests, { ...filter, cursor: partCursor, limit }));
    if (query.format === 'csv') {
      if (query.limit !== undefined) {
        throw new DenialException(DenialReason.InvalidRequest, {
          param: 'limit',
          detail: 'a CSV export writes every page; narrow it with the filters or continue with cursor',
        });
      }
      const rows = await requestLogCsv(readPart, {
        cursor,
        maxRows: this.config.REQUEST_LOG_CSV_MAX_ROWS,
        askNames: this.askNames,
      });
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', `attachment; filename="requests-${fileTime()}.csv"`);
      return Readable.from(rows);
    }
    const page = await readRequestLogPage(readPart, { cursor, limit: query.limit ?? DEFAULT_PAGE });
    const names = await namesOf(this.askNames, userKeyNameIds(page.data));
    return {
      object: 'list' as const,
      data: page.data.map((entry) => toRequestLogEntryResponse(entry, names)),
      next_cursor: page.nextCursor,
    };
  }

  /** Each request settled under a tid, its hold and its ledger lines; a 404 when there is none. */
  @Serve(R.getRequest)
  async get(@Checked() { params }: CheckedInput<typeof R.getRequest>) {
    const trace = unwrap(await this.bus.request(BillingSubjects.requestTrace, { tid: params.tid }));
    return toRequestTraceResponse(trace, await namesOf(this.askNames, traceNameIds(trace)));
  }
}

/** `20261202T160652Z`: the export's time in its file name, without characters a file system may refuse. */
const fileTime = (): string => new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
