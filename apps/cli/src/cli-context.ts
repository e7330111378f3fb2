import type { Command } from 'commander';
import { AdminClient } from './admin-client.js';
import { ExitCode, UsageError } from './cli-errors.js';
import type { TableOptions } from './table.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** What the environment says, read once by main.ts (TOLLGATE_URL, TOLLGATE_ADMIN_KEY). */
export interface CliConfig {
  url: string;
  key: string | undefined;
}

export function readCliConfig(env: Record<string, string | undefined>): CliConfig {
  const url = env.TOLLGATE_URL?.trim();
  const key = env.TOLLGATE_ADMIN_KEY?.trim();
  return { url: url ? url : DEFAULT_URL, key: key ? key : undefined };
}

/** Where output goes: process.stdout/stderr in main.ts, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliDeps {
  config: CliConfig;
  io: CliIo;
  fetch?: typeof fetch;
  /** Reads a batch file; tests pass their own. */
  readFile?: (path: string) => string;
}

export interface GlobalOptions {
  url?: string;
  key?: string;
  json?: boolean;
  wide?: boolean;
}

/**
 * What every command needs besides its own arguments: the admin client
 * (built only once input has been checked, so a usage error never needs a
 * key), the --json switch, and the exit code a command reports without throwing.
 */
export class CliContext {
  exitCode: ExitCode = ExitCode.Ok;

  constructor(
    readonly deps: CliDeps,
    private readonly program: Command,
  ) {}

  client(): AdminClient {
    const options = this.program.opts<GlobalOptions>();
    const key = options.key ?? this.deps.config.key;
    if (!key) {
      throw new UsageError('no admin key: set TOLLGATE_ADMIN_KEY or pass --key <key> before the command');
    }
    return new AdminClient({ baseUrl: options.url ?? this.deps.config.url, key, fetch: this.deps.fetch });
  }

  /** --json may come before the command (global) or after it. */
  wantsJson(command: Command): boolean {
    return command.opts<GlobalOptions>().json === true || this.program.opts<GlobalOptions>().json === true;
  }

  /** How tables are drawn: --wide (before or after the command) shows every column. */
  tableOptions(command: Command): TableOptions {
    return { wide: command.opts<GlobalOptions>().wide === true || this.program.opts<GlobalOptions>().wide === true };
  }

  /** The API's JSON untouched for --json (scripts), otherwise the human rendering. */
  print(command: Command, data: unknown, human: () => string): void {
    this.deps.io.stdout(this.wantsJson(command) ? `${JSON.stringify(data, null, 2)}\n` : human());
  }

  /** Hints such as "more pages" go to stderr, so stdout stays clean for pipes. */
  note(text: string): void {
    this.deps.io.stderr(`${text}\n`);
  }

  /** The command worked but its result is a failure (a batch not applied, differences found). */
  fail(): void {
    this.exitCode = ExitCode.Failure;
  }
}

/** A runnable command; every one of them takes --json and --wide. */
export function leaf(parent: Command, nameAndArgs: string, description: string): Command {
  return parent
    .command(nameAndArgs)
    .description(description)
    .option('--json', 'print the raw JSON response')
    .option('--wide', 'show every column of a table (ids, extra parts), however wide');
}
