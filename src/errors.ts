// Errors that end a command with a precise message instead of a stack trace.

/** Bad command-line usage: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration file (policy, CODEOWNERS, holidays) that cannot be used: exit 2, naming the file. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
