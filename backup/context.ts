import type { Logger } from "./log";
import type { Invocation, JobSettings } from "./options";
import type { Storage } from "./storage";

/** Everything a command needs from the outside world, so tests can supply their own. */
export interface Context {
  readonly invocation: Invocation;
  readonly settings: JobSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly storage: Storage;
  readonly log: Logger;
  /** Command results (stdout). */
  readonly out: (line: string) => void;
  /** Aborted by SIGTERM, SIGINT or the timeout; its reason is a CancelledError. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly jobVersion: string;
}

/** `--database`, else BACKUP_DATABASE: which database's backups list/verify/restore/drill use. */
export function selectedDatabase(ctx: Context): string | undefined {
  return ctx.invocation.flags.database ?? (ctx.env.BACKUP_DATABASE || undefined);
}

/** Throws the cancellation reason once the job has been told to stop. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
