import { spawn, type ChildProcess } from 'node:child_process';
import { SERVICE_NODE_FLAGS } from './service-processes.js';
import type { ServiceLog } from './service-log.js';

/** A process `npm start` runs whose output goes to its log file (ServiceLog), not to the terminal. */
export interface LoggedProcess {
  name: string;
  child: ChildProcess;
  log: ServiceLog;
  /** The exit code, once the process has exited and all it wrote is in the file. */
  exited: Promise<number | null>;
}

export function spawnLogged(name: string, entry: string, env: NodeJS.ProcessEnv, log: ServiceLog): LoggedProcess {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  // 'close', not 'exit': a process's last lines (why it failed) may still be in the pipes when it exits.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { name, child, log, exited };
}
