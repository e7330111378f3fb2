import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { readRepeatableMigrations } from '@tollgate/db';
import { BILLING_REPEATABLE_MIGRATIONS } from '../migrations/billing-migrations.js';
import {
  ACQUIRE_GRANTS_OUTCOMES,
  RECORD_ADMISSION_OUTCOMES,
  RESERVE_HOLD_OUTCOMES,
  RETURN_GRANTS_OUTCOMES,
  SETTLE_HOLD_OUTCOMES,
} from './sql-outcomes.js';

/** The files whose functions make up outcomes; every other file must return none of its own. */
const OUTCOMES_BY_FILE: Record<string, readonly string[]> = {
  'reserve-hold.sql': RESERVE_HOLD_OUTCOMES,
  'settle-hold.sql': SETTLE_HOLD_OUTCOMES,
  'acquire-grants.sql': ACQUIRE_GRANTS_OUTCOMES,
  'return-grants.sql': RETURN_GRANTS_OUTCOMES,
  'record-admissions.sql': RECORD_ADMISSION_OUTCOMES,
};

const FILES = BILLING_REPEATABLE_MIGRATIONS.map((file) => [basename(fileURLToPath(file)), file] as const);

describe('billing SQL outcomes', () => {
  it.each(FILES)('%s returns exactly the outcomes sql-outcomes.ts declares for it', async (name, file) => {
    const [migration] = await readRepeatableMigrations([file]);
    expect(returnedOutcomes(migration.sql)).toEqual([...(OUTCOMES_BY_FILE[name] ?? [])].sort());
  });

  it('finds the r_outcome column of each RETURN QUERY, whatever its position', () => {
    const sql = `CREATE FUNCTION f() RETURNS TABLE (r_index integer, r_outcome text, r_note text)
      LANGUAGE plpgsql AS $fn$ BEGIN
        -- 'in_a_comment' is not returned
        RETURN QUERY SELECT 1, CASE WHEN true THEN 'yes' ELSE 'no' END, 'a note, with a comma';
        RETURN QUERY SELECT v_index, r.* FROM g('not_an_outcome') r;
        RETURN QUERY SELECT 2, 'it''s'::text, 'another note';
      END $fn$;`;
    expect(returnedOutcomes(sql)).toEqual(["it's", 'no', 'yes']);
  });

  it('reads each function of a file on its own: r_outcome may stand elsewhere in the next one', () => {
    const sql = `CREATE FUNCTION one() RETURNS TABLE (r_outcome text) LANGUAGE plpgsql AS $fn$ BEGIN
        RETURN QUERY SELECT 'first'::text;
      END $fn$;
      CREATE OR REPLACE FUNCTION many() RETURNS TABLE (r_index integer, r_outcome text, r_note text)
      LANGUAGE plpgsql AS $fn$ BEGIN
        RETURN QUERY SELECT 'not_an_outcome', r.r_outcome, 'nor this' FROM one() r;
        RETURN QUERY SELECT 'nor_this', 'second'::text, 'a note';
      END $fn$;
      CREATE FUNCTION none() RETURNS integer LANGUAGE plpgsql AS $fn$ BEGIN
        RETURN QUERY SELECT 'no_table_no_outcome';
      END $fn$;`;
    expect(returnedOutcomes(sql)).toEqual(['first', 'second']);
  });
});

/**
 * The string literals the RETURN QUERY statements of a file's functions put
 * in their r_outcome column, sorted and without repeats. Each function is
 * read on its own (its own RETURNS TABLE says where r_outcome stands).
 * Literals elsewhere (other columns, FROM clauses, comments) are not outcomes.
 */
function returnedOutcomes(source: string): string[] {
  const outcomes = new Set<string>();
  for (const fn of withoutComments(source).split(/(?=\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\b)/i)) {
    for (const outcome of outcomesOfFunction(fn)) outcomes.add(outcome);
  }
  return [...outcomes].sort();
}

function outcomesOfFunction(sql: string): string[] {
  const returns = /RETURNS\s+TABLE\s*\(/i.exec(sql);
  if (!returns) return [];
  const columns = topLevelItems(sql, returns.index + returns[0].length).map((column) => column.trim().split(/\s+/)[0]);
  const position = columns.indexOf('r_outcome');
  if (position < 0) return [];
  const outcomes: string[] = [];
  for (const statement of sql.matchAll(/RETURN\s+QUERY\s+SELECT\s/gi)) {
    const expression = topLevelItems(sql, statement.index + statement[0].length)[position] ?? '';
    for (const literal of expression.matchAll(/'((?:[^']|'')*)'/g)) outcomes.push(literal[1].replaceAll("''", "'"));
  }
  return outcomes;
}

function withoutComments(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (match) => (match.startsWith("'") ? match : ' '));
}

/**
 * The comma-separated items from `start` up to the end of the list: a
 * closing parenthesis, a `;`, or a FROM at the list's own level. Commas
 * inside parentheses or string literals do not separate items.
 */
function topLevelItems(sql: string, start: number): string[] {
  const items: string[] = [];
  let depth = 0;
  let item = '';
  for (let i = start; i < sql.length; i++) {
    const char = sql[i];
    if (char === "'") {
      const literal = /^'(?:[^']|'')*'/.exec(sql.slice(i))![0];
      item += literal;
      i += literal.length - 1;
      continue;
    }
    if (depth === 0 && (char === ')' || char === ';' || /^\sFROM\s/i.test(sql.slice(i, i + 6)))) break;
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (depth === 0 && char === ',') {
      items.push(item);
      item = '';
    } else {
      item += char;
    }
  }
  items.push(item);
  return items;
}
