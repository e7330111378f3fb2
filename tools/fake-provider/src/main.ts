/**
 * CLI entry: `node dist/tools/fake-provider/main.js [--port N] [--host H] [--latency-ms N]`.
 * Flags win over the environment (FAKE_PROVIDER_PORT, FAKE_PROVIDER_HOST, FAKE_PROVIDER_LATENCY_MS). The
 * single stdout line is the contract with whoever spawned us: with port 0 it is how they learn the port.
 * Everything else (defaults per model, failure queues) is driven at runtime through the `/__control` endpoints.
 */
import { parseArgs } from 'node:util';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';

const USAGE = `usage: fake-provider [--port N] [--host HOST] [--latency-ms N]
  --port        TCP port, 0 = any free port (env FAKE_PROVIDER_PORT, default 0)
  --host        interface to bind (env FAKE_PROVIDER_HOST, default 127.0.0.1)
  --latency-ms  delay before every answer (env FAKE_PROVIDER_LATENCY_MS, default 0)`;

/** A mistake in how we were invoked: worth printing the usage for, unlike e.g. a port already in use. */
class UsageError extends Error {}

function numberSetting(flag: string, flagValue: string | undefined, envName: string): number | undefined {
  const raw = flagValue ?? process.env[envName];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`--${flag} (or ${envName}) must be a non-negative number, got "${raw}"`);
  return value;
}

function parseFlags(): { port?: string; host?: string; 'latency-ms'?: string; help?: boolean } {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'latency-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const values = parseFlags();
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const provider: FakeProvider = await startFakeProvider({
    port: numberSetting('port', values.port, 'FAKE_PROVIDER_PORT') ?? 0,
    host: values.host ?? (process.env.FAKE_PROVIDER_HOST || undefined),
    latencyMs: numberSetting('latency-ms', values['latency-ms'], 'FAKE_PROVIDER_LATENCY_MS'),
  });
  console.log(`fake-provider listening on ${provider.url}`);

  const stop = (signal: NodeJS.Signals): void => {
    // A second signal while closing means "now": don't make an impatient operator wait.
    process.once(signal, () => process.exit(1));
    provider.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        console.error('fake-provider: error while closing:', error);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`fake-provider: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exitCode = 1;
});
