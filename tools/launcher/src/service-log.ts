import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

/** pino's numeric levels, as the services' JSON lines carry them. */
const LEVEL_NAMES: Record<number, string> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const WARN = 40;

/**
 * A JSON log line of warn level or above as one short line for a person at
 * a terminal: time, service, level, message, tid, and the error's message
 * if there is one. Null for anything else: lower levels, and lines that are
 * not pino's JSON (they are in the file).
 */
export function summarise(line: string): string | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null) return null;
  const { level, time, service, msg, tid, err } = entry as Record<string, unknown>;
  if (typeof level !== 'number' || level < WARN) return null;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '--:--:--';
  const error = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return [
    clock,
    typeof service === 'string' ? service : '?',
    LEVEL_NAMES[level] ?? 'FATAL',
    typeof msg === 'string' ? msg : '',
    typeof error === 'string' ? `(${error})` : null,
    typeof tid === 'string' ? `tid=${tid}` : null,
  ]
    .filter((part) => part !== null && part !== '')
    .join(' ');
}

/**
 * One process's log under `npm start`: `<DATA_DIR>/logs/<name>.log`,
 * appended to across starts, created readable by its owner only (the lines
 * name users, keys' ids and channels). What the process writes goes to the
 * file as it comes, not to the terminal; `onLine` sees each whole line, for
 * the launcher to summarise the warnings on a terminal.
 *
 * Written synchronously: the launcher writes little of its own, and a line
 * must be in the file before the launcher reads the file back (tail) or
 * exits.
 */
export class ServiceLog {
  readonly path: string;
  private readonly fd: number;
  private partial = '';

  constructor(
    logDir: string,
    name: string,
    private readonly onLine?: (line: string) => void,
  ) {
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    this.path = resolve(logDir, `${name}.log`);
    this.fd = openSync(this.path, 'a', 0o600);
  }

  /** For pino (a DestinationStream) as much as for a child's stdout and stderr. */
  write(chunk: Buffer | string): void {
    if (typeof chunk === 'string') writeSync(this.fd, chunk);
    else writeSync(this.fd, chunk);
    if (!this.onLine) return;
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line) this.onLine(line);
  }

  /** The file's last `count` lines, this start's or earlier ones'. */
  tail(count: number): string[] {
    const lines = readFileSync(this.path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  }

  close(): void {
    closeSync(this.fd);
  }
}
