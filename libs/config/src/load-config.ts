import { cleanEnv, type CleanedEnv, type ValidatorSpec } from 'envalid';
import { readSecretFiles } from './secret-files.js';

export { bool, num, port, str, url } from 'envalid';

type Specs = { [key: string]: ValidatorSpec<unknown> };

const loaded = new Map<Specs, unknown>();

/**
 * Reads and validates a service's settings once, at start-up. A bad or
 * missing setting stops the process with a message naming it, before any
 * connection is opened. A secret marked fromFileToo may come from the file
 * its <NAME>_FILE names. Nothing else in a service reads process.env. A
 * service's main() and its Nest module both ask for it: from the process
 * environment it is validated once, then shared.
 */
export function loadConfig<S extends Specs>(
  service: string,
  specs: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<CleanedEnv<S>> {
  if (env === process.env && loaded.has(specs)) return loaded.get(specs) as Readonly<CleanedEnv<S>>;
  const config = validate(service, specs, env);
  if (env === process.env) loaded.set(specs, config);
  return config;
}

function validate<S extends Specs>(service: string, specs: S, env: NodeJS.ProcessEnv): Readonly<CleanedEnv<S>> {
  const secrets = readSecretFiles(specs, env);
  const cleaned = cleanEnv(secrets.env, specs, {
    reporter: ({ errors }) => {
      // A secret whose file failed is reported once, for its file, not again as missing.
      const problems = [
        ...[...secrets.problems].map(([name, problem]) => `  ${name}: ${problem}`),
        ...Object.entries(errors)
          .filter(([name]) => !secrets.problems.has(name))
          .map(([name, error]) => `  ${name}: ${error?.message ?? 'invalid'}`),
      ];
      if (problems.length === 0) return;
      process.stderr.write(`${service}: invalid configuration\n${problems.join('\n')}\n`);
      process.exit(1);
    },
  });
  // A plain object: envalid's strict proxy throws on unknown properties, which
  // breaks anything that inspects the object (Nest's DI does).
  return Object.freeze({ ...cleaned });
}
