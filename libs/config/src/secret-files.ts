import { readFileSync } from 'node:fs';
import type { ValidatorSpec } from 'envalid';

const settableFromFile = new WeakSet<ValidatorSpec<unknown>>();

/**
 * Marks a secret setting that may instead be given as a file: <NAME>_FILE
 * names a file whose contents, trimmed, are the value. Docker secrets and
 * Kubernetes Secret volumes are files, and a secret in a file stays out of
 * `docker inspect`, the process table's environment and crash reports that
 * dump it.
 */
export function fromFileToo<S extends ValidatorSpec<unknown>>(spec: S): S {
  settableFromFile.add(spec);
  return spec;
}

/** The settings of `specs` that may be given as <NAME>_FILE, for deployment checks. */
export const fileSettableNames = (specs: Record<string, ValidatorSpec<unknown>>): string[] =>
  Object.entries(specs)
    .filter(([, spec]) => settableFromFile.has(spec))
    .map(([name]) => name);

/** The variable that names a setting's file. */
export const fileVariable = (name: string): string => `${name}_FILE`;

/**
 * The environment with each file-settable secret read from its <NAME>_FILE,
 * and the problems found doing so, by setting, each naming the variables and
 * the path. An empty variable counts as unset, as envalid reads it: Compose
 * writes `NAME: ${NAME:-}` as an empty string when the operator set nothing.
 */
export function readSecretFiles(
  specs: Record<string, ValidatorSpec<unknown>>,
  env: NodeJS.ProcessEnv,
): { env: NodeJS.ProcessEnv; problems: Map<string, string> } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    const fileName = fileVariable(name);
    const path = env[fileName];
    if (!settableFromFile.has(spec) || !path) continue;
    if (env[name]) {
      // Neither is obviously the one meant; guessing would start on the wrong secret.
      problems.set(name, `both ${name} and ${fileName} are set; set one of them`);
      continue;
    }
    let contents: string;
    try {
      contents = readFileSync(path, 'utf8').trim();
    } catch (error) {
      problems.set(
        name,
        `${fileName}=${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
      continue;
    }
    // An empty file is a secret that was never filled in, not a request for the default.
    if (contents === '') problems.set(name, `${fileName}=${path} is empty`);
    else resolved[name] = contents;
  }
  return { env: resolved, problems };
}
