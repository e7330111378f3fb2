import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ok, type Named, type NamesReply, type NamesRequest, type Reply } from '@tollgate/contracts';

interface NameRow {
  kind: 'user' | 'key';
  id: string;
  name: string;
}

/**
 * The names the admin API shows next to the ids billing keeps (usage, the
 * ledger, the request log): billing has no names, auth has them. The edge
 * asks once per page with every id the page holds, so this is one query for
 * users and keys together, by primary key; an id that names nothing (a user
 * made by hand in billing, a typo in an old ledger line) is simply not in
 * the answer.
 */
@Injectable()
export class NamesService {
  constructor(private readonly db: DataSource) {}

  async names(request: NamesRequest): Promise<Reply<NamesReply>> {
    if (request.userIds.length === 0 && request.keyIds.length === 0) return ok({ users: [], keys: [] });
    const rows: NameRow[] = await this.db.query(
      `SELECT 'user' AS kind, id, name FROM users WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT 'key' AS kind, id, name FROM api_keys WHERE id = ANY($2::uuid[])`,
      [request.userIds, request.keyIds],
    );
    const of = (kind: NameRow['kind']): Named[] =>
      rows.filter((row) => row.kind === kind).map(({ id, name }) => ({ id, name }));
    return ok({ users: of('user'), keys: of('key') });
  }
}
