/**
 * Every problem of the configuration, collected across all parts, so start-up stops once with a message
 * that names each offending variable and what is wrong with it.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export class Problems {
  readonly #found: string[] = [];

  /** `variable: what is wrong`, e.g. `KAFKA_BROKERS: is required when EVENT_BUS=kafka`. */
  add(variable: string, what: string): void {
    this.#found.push(`${variable}: ${what}`);
  }

  /** Adds `variable: why` unless `present` is truthy. */
  require(variable: string, present: unknown, why = 'is required in production'): void {
    if (!present) this.add(variable, why);
  }

  /** Throws a ConfigError naming every problem found so far, if any. */
  throwIfAny(): void {
    if (this.#found.length > 0) throw new ConfigError(this.#found);
  }
}
