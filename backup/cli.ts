// gad-backup's entry point: in the job's image and as `npm run -s gad-backup -- <command>`.
// Failures end in one line on stderr and a non-zero exit; no stack trace, no password.
import { S3Client } from "@aws-sdk/client-s3";
import { backup } from "./commands/backup";
import { drill } from "./commands/drill";
import { list } from "./commands/list";
import { provision } from "./commands/provision";
import { restore } from "./commands/restore";
import { verify } from "./commands/verify";
import { connInfoFromEnv, parseDatabaseUrl } from "./conninfo";
import type { Context } from "./context";
import { CancelledError, UsageError, oneLine, redact } from "./errors";
import { jsonLogger } from "./log";
import { Command, HELP, Invocation, JobSettings, jobSettings, parseInvocation } from "./options";
import { FileStorage } from "./storage-file";
import { S3Storage, s3Client } from "./storage-s3";
import type { Storage } from "./storage";

export const JOB_VERSION = "0.1.0";

const RUN: Record<Exclude<Command, "provision-app-role">, (ctx: Context) => Promise<void>> = {
  backup,
  list,
  verify,
  restore,
  drill,
};

/** Passwords the job may know, to be masked in anything it prints. */
function knownSecrets(env: NodeJS.ProcessEnv, inv: Invocation | undefined): string[] {
  const secrets = [env.PGPASSWORD];
  for (const [text, what] of [
    [env.DATABASE_URL, "DATABASE_URL"],
    [inv?.flags.target, "--target"],
  ] as const) {
    if (!text) continue;
    try {
      secrets.push(parseDatabaseUrl(text, what).password);
    } catch {
      // not a usable URL: the command reports that itself
    }
  }
  try {
    secrets.push(connInfoFromEnv(env).password);
  } catch {
    // no connection in the environment
  }
  return secrets.filter((s): s is string => Boolean(s));
}

function openStorage(settings: JobSettings): { storage: Storage; client?: S3Client } {
  const d = settings.destination;
  if (d.kind === "file") return { storage: new FileStorage(d.directory, d.url) };
  const client = s3Client({
    region: settings.s3.region as string,
    endpoint: settings.s3.endpoint,
    maxAttempts: settings.s3.maxAttempts,
    callLog: settings.s3.callLog,
  });
  return { storage: new S3Storage(client, d.bucket, d.prefix, d.url), client };
}

export interface Io {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const processIo: Io = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: Io = processIo,
): Promise<number> {
  let inv: Invocation | undefined;
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) =>
    controller.abort(new CancelledError(`stopped by ${signal}`, signal === "SIGINT" ? 130 : 143));
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  let timer: NodeJS.Timeout | undefined;
  let client: S3Client | undefined;
  try {
    inv = parseInvocation(argv);
    if (inv.command === "help") {
      io.stdout(HELP);
      return 0;
    }
    if (inv.command === "version") {
      io.stdout(JOB_VERSION);
      return 0;
    }
    if (inv.command === "provision-app-role") {
      // An administration step, not a backup: no destination, no storage.
      await provision(env, io.stdout);
      return 0;
    }
    const settings = jobSettings(inv, env);
    if (settings.timeoutSeconds !== undefined) {
      const seconds = settings.timeoutSeconds;
      timer = setTimeout(
        () =>
          controller.abort(
            new CancelledError(`timed out after ${seconds} s (BACKUP_TIMEOUT_SECONDS)`, 1),
          ),
        seconds * 1000,
      );
    }
    const opened = openStorage(settings);
    client = opened.client;
    await RUN[inv.command]({
      invocation: inv,
      settings,
      env,
      storage: opened.storage,
      log: jsonLogger((line) => process.stderr.write(line)),
      out: io.stdout,
      signal: controller.signal,
      now: () => new Date(),
      jobVersion: JOB_VERSION,
    });
    return 0;
  } catch (caught) {
    // Once cancelled, whatever broke on the way out is a consequence; report the cause.
    const err = controller.signal.aborted ? controller.signal.reason : caught;
    const command =
      inv && inv.command !== "help" && inv.command !== "version" ? ` ${inv.command}` : "";
    const message = redact(oneLine(err), knownSecrets(env, inv));
    if (err instanceof UsageError) {
      io.stderr(`gad-backup${command}: ${message}`);
      return 2;
    }
    io.stderr(`gad-backup${command} failed: ${message}`);
    return err instanceof CancelledError ? err.exitCode : 1;
  } finally {
    clearTimeout(timer);
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    client?.destroy();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
