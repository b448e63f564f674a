/** A mistake in how the job was called: wrong option, missing variable. Exit code 2. */
export class UsageError extends Error {}

/** The job ran and failed for a reason it can state in one line. Exit code 1. */
export class JobError extends Error {}

/** The job was stopped by a signal or its timeout. */
export class CancelledError extends JobError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Replaces every occurrence of each secret in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message.trim().replace(/\s*\n\s*/g, "; ");
}
