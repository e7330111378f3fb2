import { Command, CommanderError } from 'commander';
import { CliContext, type CliDeps } from './cli-context.js';
import { describeError, ExitCode } from './cli-errors.js';
import { registerAccountCommands } from './commands/accounts.command.js';
import { registerChannelCommands } from './commands/channels.command.js';
import { registerGroupCommands } from './commands/groups.command.js';
import { registerKeyCommands } from './commands/keys.command.js';
import { registerMoneyCommands } from './commands/money.command.js';
import { registerPriceCommands } from './commands/prices.command.js';
import { registerReportCommands } from './commands/reports.command.js';
import { registerRequestCommands } from './commands/requests.command.js';
import { registerUserCommands } from './commands/users.command.js';

const HELP_FOOTER = `
Environment:
  TOLLGATE_URL        the edge (default http://127.0.0.1:8080); --url overrides it
  TOLLGATE_ADMIN_KEY  a key of a billing, admin or root user (required); --key overrides it

Global options go before the command: tollgate --url http://gw:8080 users list
--json may go before or after it and prints the API's JSON untouched; --wide
shows every column of a table (without it, tables fit 120 columns). Times are UTC.

Exit codes:
  0  done
  1  the server refused or failed (message, code and tid on stderr), a batch was not
     applied, reconcile found differences or accounts without a user, or a channel
     test failed
  2  bad command line or input; nothing was sent
`;

/** Global options must precede the command (see enablePositionalOptions below); say so when one comes after it. */
function globalOptionHint(error: string): string {
  return /unknown option '--(url|key)'/.test(error)
    ? '(--url and --key are global options: put them before the command, e.g. tollgate --key <key> users list)\n'
    : '';
}

/** The whole command tree. Built anew per run: commander keeps parsed values on the commands. */
export function buildProgram(deps: CliDeps): { program: Command; ctx: CliContext } {
  const program = new Command('tollgate');
  // Settings first: subcommands copy them when they are created.
  program
    .description('Operate a Tollgate gateway: users, keys, channels, prices and balances, over the admin API.')
    .enablePositionalOptions() // so `usage --key <keyId>` is the filter, not the admin key
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.io.stdout(text),
      writeErr: (text) => deps.io.stderr(text),
      outputError: (text, write) => write(text + globalOptionHint(text)),
    })
    .showHelpAfterError('(add --help for usage)')
    .option('--url <url>', 'the edge URL (default: $TOLLGATE_URL or http://127.0.0.1:8080)')
    .option('--key <key>', 'the admin key (default: $TOLLGATE_ADMIN_KEY)')
    .option('--json', 'print raw JSON responses, for scripts')
    .option('--wide', 'show every column of tables; without it they fit 120 columns')
    .addHelpText('after', HELP_FOOTER);

  const ctx = new CliContext(deps, program);
  registerUserCommands(program, ctx);
  registerKeyCommands(program, ctx);
  registerChannelCommands(program, ctx);
  registerPriceCommands(program, ctx);
  registerGroupCommands(program, ctx);
  registerMoneyCommands(program, ctx);
  registerAccountCommands(program, ctx);
  registerReportCommands(program, ctx);
  registerRequestCommands(program, ctx);
  return { program, ctx };
}

/**
 * Runs one command line (without the node and script arguments) and returns
 * the exit code. Errors the CLI expects are printed here; anything else is a
 * bug and is rethrown with its stack.
 */
export async function runCli(args: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const { program, ctx } = buildProgram(deps);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    // commander has already printed its message; --help and the like end with exit code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    const described = describeError(error);
    if (!described) throw error;
    deps.io.stderr(`${described.text}\n`);
    return described.exitCode;
  }
}
