/**
 * A rule between settings that are each valid alone but contradict each
 * other, e.g. a hold that expires before its settlement can be redelivered.
 */
export interface SettingRule<C> {
  /** The settings the rule relates, named in the error. */
  settings: readonly [keyof C & string, keyof C & string, ...(keyof C & string)[]];
  holds: (config: C) => boolean;
  /** The rule and why, as the operator will read it. */
  explain: (config: C) => string;
}

/**
 * Stops start-up, as a bad single setting does, when settings contradict
 * each other: the message names every setting involved with its value.
 */
export function refuseContradictions<C extends object>(
  service: string,
  config: C,
  rules: readonly SettingRule<C>[],
): C {
  const broken = rules.filter((rule) => !rule.holds(config));
  if (broken.length === 0) return config;
  const values = (rule: SettingRule<C>) => rule.settings.map((name) => `${name}=${String(config[name])}`).join(', ');
  const problems = broken.map((rule) => `  ${rule.settings.join(' vs ')} (${values(rule)}): ${rule.explain(config)}`);
  process.stderr.write(`${service}: contradictory configuration\n${problems.join('\n')}\n`);
  process.exit(1);
}
