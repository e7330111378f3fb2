#!/usr/bin/env node
import { readCliConfig } from './cli-context.js';
import { runCli } from './cli-program.js';

// `tollgate ledger … --csv | head` closes the pipe early; that is the reader's choice, not a failure to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The `tollgate` command. The environment is read here, once; everything below takes it as a value. */
const deps = {
  config: readCliConfig(process.env),
  io: {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
  },
};

runCli(process.argv.slice(2), deps).then(
  (code) => {
    // exitCode rather than exit(): a large table piped to another program is still being flushed.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tollgate: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
