import { spawn } from 'node:child_process';

/** Marks the copy of the launcher that runs the suite, in a session of its own. */
const IN_OWN_SESSION = '--in-own-session';

/**
 * Ctrl-C in a terminal sends SIGINT to every process of the foreground
 * process group at once: the services, the fake provider, nats-server and
 * the embedded PostgreSQL all stopped at the same moment as the launcher, so
 * the edge's requests in flight failed (502, 503) however carefully the
 * launcher ordered its own stop. The launcher therefore runs the suite in a
 * copy of itself started in a new session: only this first process gets the
 * terminal's signals, and it hands them to the copy, which stops everything
 * in order (see stop-order.ts). Should this process die without a word, the
 * copy sees its IPC channel close and stops the suite too, so nothing is
 * left running.
 *
 * Returns true in the copy, which goes on to run the suite; false in the
 * first process, which exits with the copy's code once the copy exited.
 */
export function inOwnSession(): boolean {
  if (process.argv.includes(IN_OWN_SESSION)) return true;
  const [entry, ...args] = process.argv.slice(1);
  const copy = spawn(process.execPath, [...process.execArgv, entry, ...args, IN_OWN_SESSION], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forward = (signal: NodeJS.Signals) => copy.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  copy.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}
