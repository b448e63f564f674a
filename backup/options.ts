// Command line and environment of gad-backup. Every option has an environment variable for
// containers; a command-line option wins over its variable.
import * as os from "os";
import { parseArgs } from "util";
import { UsageError } from "./errors";
import { DEFAULT_METRIC_NAMESPACE } from "./log";
import { MiB, S3_MAX_PART_BYTES, S3_MIN_PART_BYTES } from "./layout";
import { Destination, parseDestination } from "./storage";

export const COMMANDS = [
  "backup",
  "list",
  "verify",
  "restore",
  "drill",
  "provision-app-role",
] as const;
export type Command = (typeof COMMANDS)[number];

/** gzip level 1: measured 2.6x faster than level 6 for 11% more bytes (docs/backup-and-restore.md). */
export const DEFAULT_COMPRESSION = "1";
export const DEFAULT_PROGRESS_SECONDS = 5;
export const DEFAULT_S3_MAX_ATTEMPTS = 5;

export const HELP = `gad-backup — PostgreSQL backups to S3 (or a directory) that are complete, verifiable and restorable

Usage: gad-backup <command> [options]

Commands:
  backup                      Stream pg_dump (custom format) through SHA-256 into the destination,
                              then write its manifest. Only a dump with a manifest is a backup.
  list [--json]               Backups, newest first: key, size, age, SHA-256 prefix.
  verify <key|latest>         Read a backup back, compare size and SHA-256 with its manifest, and
                              read the whole archive with pg_restore. Exit 1 on any difference.
  restore <key|latest> --target <database-url> [--create] [--force] [--jobs N]
                              Download (hashing) to a temporary file; on a checksum mismatch stop
                              before touching the target; restore with pg_restore --exit-on-error.
  drill [--target <server-url>] [--jobs N]
                              Restore the latest backup into a scratch database, compare row counts
                              and extensions with the manifest, run a sanity query, drop it.
  provision-app-role          As the master user (PG*): the application's group role APP_ROLE, its
                              login user for APP_LOGIN_GENERATION (<role>_blue, odd;
                              <role>_green, even) and APP_EXTENSIONS; the credential goes to the
                              secret APP_LOGIN_ARN. Run by pulumi up before migrations.

Options:
  --destination <url>         s3://<bucket>/<prefix> or file:///<directory>   [BACKUP_DESTINATION]
  --database <name>           Which database's backups list/verify/restore/drill use; defaults to
                              the database of DATABASE_URL/PGDATABASE, or the only one stored.
  --target <url>              postgresql://user:password@host:5432/database to restore into. For
                              drill, the server to use (default: the DATABASE_URL/PG* connection).
  --create                    restore: create the target database if it does not exist.
  --force                     restore: restore into a database that has objects, dropping the
                              objects the backup contains first (pg_restore --clean --if-exists).
  --jobs <n>                  restore/drill: parallel pg_restore jobs (default 2).
  --keep-owners               restore: keep object owners and privileges (default: restoring user owns all).
  --json                      list: machine-readable output.
  --compression <c>           pg_dump compression: 0-9 (gzip level), or method[:level] with
                              pg_dump 16+ (gzip, lz4, zstd). Default ${DEFAULT_COMPRESSION}.       [BACKUP_COMPRESSION]
  --timeout <seconds>         Give up (and clean up) after this long.           [BACKUP_TIMEOUT_SECONDS]
  -h, --help                  This text.   --version   The job's version.

Environment:
  DATABASE_URL                postgresql://user:password@host:port/database (postgresql+asyncpg:// too)
  PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSSLROOTCERT
                              libpq variables, used when DATABASE_URL is not set.
  BACKUP_DESTINATION          As --destination.
  BACKUP_COMPRESSION          As --compression.
  BACKUP_TIMEOUT_SECONDS      As --timeout.
  BACKUP_PART_SIZE_MB         S3 part size; default derived from the database size (8 MiB or more),
                              so that a dump twice the database's size fits in 10,000 parts.
  BACKUP_ROW_COUNTS           exact (default: count every table in the dump's snapshot, for drills)
                              or estimate (planner estimates only; for very large databases).
  BACKUP_METRIC_NAMESPACE     CloudWatch namespace of the EMF metrics. Default ${DEFAULT_METRIC_NAMESPACE}.
  BACKUP_STACK                Value of the "stack" metric dimension (e.g. staging, production).
  BACKUP_PROGRESS_SECONDS     Seconds between progress lines. Default ${DEFAULT_PROGRESS_SECONDS}.
  BACKUP_DATABASE             As --database.
  BACKUP_TMPDIR               Directory for restore's temporary file (default: the system's).
  DRILL_SANITY_SQL            drill: a query that must succeed and return a row in the restored
                              database. Default: SELECT count(*) FROM pg_catalog.pg_class. For
                              GRUPO_GAD: SELECT version_num FROM alembic_version.
  PG_BIN_DIR                  Directory of pg_dump and pg_restore (default: from PATH).
  AWS_REGION                  Region of the bucket (or AWS_DEFAULT_REGION). Credentials come from the
                              SDK's default chain: the task role in ECS, a profile on a laptop.
  AWS_ENDPOINT_URL_S3         An S3-compatible endpoint (path-style addressing).
  BACKUP_S3_MAX_ATTEMPTS      Attempts per S3 request before giving up. Default ${DEFAULT_S3_MAX_ATTEMPTS}.
  GAD_AWS_CALL_LOG            A file to append every AWS call to (operation, bucket, key, version,
                              prefix; never data): what the job's role must allow.

Exit status: 0 success, 1 failure (one line on stderr says why), 2 usage error,
130/143 interrupted or terminated (the upload is aborted, no manifest is written).
`;

export interface Invocation {
  readonly command: Command | "help" | "version";
  readonly positionals: readonly string[];
  readonly flags: {
    readonly destination?: string;
    readonly database?: string;
    readonly target?: string;
    readonly create: boolean;
    readonly force: boolean;
    readonly jobs?: string;
    readonly json: boolean;
    readonly keepOwners: boolean;
    readonly compression?: string;
    readonly timeout?: string;
  };
}

export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        destination: { type: "string" },
        database: { type: "string" },
        target: { type: "string" },
        create: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        jobs: { type: "string" },
        json: { type: "boolean", default: false },
        "keep-owners": { type: "boolean", default: false },
        compression: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify.*$/s, "")}; see gad-backup --help`,
    );
  }
  const { values, positionals } = parsed;
  const flags = {
    destination: values.destination,
    database: values.database,
    target: values.target,
    create: values.create ?? false,
    force: values.force ?? false,
    jobs: values.jobs,
    json: values.json ?? false,
    keepOwners: values["keep-owners"] ?? false,
    compression: values.compression,
    timeout: values.timeout,
  };
  if (values.version) return { command: "version", positionals: [], flags };
  if (values.help || positionals.length === 0) return { command: "help", positionals: [], flags };
  const [command, ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(
      `unknown command ${JSON.stringify(command)}: use one of ${COMMANDS.join(", ")} (see --help)`,
    );
  }
  const wanted = command === "verify" || command === "restore" ? 1 : 0;
  if (rest.length !== wanted) {
    throw new UsageError(
      wanted === 1
        ? `${command} takes one backup: a key as printed by list, or latest`
        : `${command} takes no arguments (got ${rest.join(" ")})`,
    );
  }
  return { command: command as Command, positionals: rest, flags };
}

export interface JobSettings {
  readonly destination: Destination;
  readonly compression: string;
  readonly timeoutSeconds: number | undefined;
  readonly partSizeBytes: number | undefined;
  readonly rowCounts: "exact" | "estimate";
  readonly metricNamespace: string;
  readonly stack: string | null;
  readonly progressSeconds: number;
  readonly tmpDir: string;
  readonly s3: {
    readonly region: string | undefined;
    readonly endpoint: string | undefined;
    readonly maxAttempts: number;
    readonly callLog: string | undefined;
  };
}

function positiveNumber(
  text: string | undefined,
  name: string,
  integer: boolean,
): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${name} must be a positive ${integer ? "integer" : "number"} (got ${JSON.stringify(text)})`,
    );
  }
  return n;
}

/** Checks a pg_dump --compress value without knowing the client's version. */
export function checkCompression(value: string): string | undefined {
  if (/^[0-9]$/.test(value)) return undefined;
  if (/^(none|gzip|lz4|zstd)(:\d{1,2})?$/.test(value)) return undefined;
  return "must be 0-9 (gzip level) or gzip|lz4|zstd[:level]";
}

export function jobSettings(inv: Invocation, env: NodeJS.ProcessEnv): JobSettings {
  const destinationText = inv.flags.destination ?? env.BACKUP_DESTINATION;
  if (!destinationText) {
    throw new UsageError(
      "no destination: set BACKUP_DESTINATION or --destination (s3://bucket/prefix or file:///dir)",
    );
  }
  const destination = parseDestination(
    destinationText,
    inv.flags.destination ? "--destination" : "BACKUP_DESTINATION",
  );
  const compression = inv.flags.compression ?? env.BACKUP_COMPRESSION ?? DEFAULT_COMPRESSION;
  const compressionProblem = checkCompression(compression);
  if (compressionProblem) {
    throw new UsageError(
      `${inv.flags.compression ? "--compression" : "BACKUP_COMPRESSION"} ${compressionProblem} (got ${JSON.stringify(compression)})`,
    );
  }
  const partMb = positiveNumber(env.BACKUP_PART_SIZE_MB, "BACKUP_PART_SIZE_MB", true);
  if (
    partMb !== undefined &&
    (partMb * MiB < S3_MIN_PART_BYTES || partMb * MiB > S3_MAX_PART_BYTES)
  ) {
    throw new UsageError(
      `BACKUP_PART_SIZE_MB must be from 5 to 5120 (S3's part limits) (got ${partMb})`,
    );
  }
  const rowCounts = env.BACKUP_ROW_COUNTS ?? "exact";
  if (rowCounts !== "exact" && rowCounts !== "estimate") {
    throw new UsageError(
      `BACKUP_ROW_COUNTS must be exact or estimate (got ${JSON.stringify(rowCounts)})`,
    );
  }
  if (destination.kind === "s3" && !(env.AWS_REGION ?? env.AWS_DEFAULT_REGION)) {
    throw new UsageError(
      "AWS_REGION is not set: the region of the backup bucket is needed for s3:// destinations",
    );
  }
  return {
    destination,
    compression,
    timeoutSeconds: positiveNumber(
      inv.flags.timeout ?? env.BACKUP_TIMEOUT_SECONDS,
      inv.flags.timeout ? "--timeout" : "BACKUP_TIMEOUT_SECONDS",
      false,
    ),
    partSizeBytes: partMb === undefined ? undefined : partMb * MiB,
    rowCounts,
    metricNamespace: env.BACKUP_METRIC_NAMESPACE || DEFAULT_METRIC_NAMESPACE,
    stack: env.BACKUP_STACK || null,
    progressSeconds:
      positiveNumber(env.BACKUP_PROGRESS_SECONDS, "BACKUP_PROGRESS_SECONDS", false) ??
      DEFAULT_PROGRESS_SECONDS,
    tmpDir: env.BACKUP_TMPDIR || os.tmpdir(),
    s3: {
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      endpoint: env.AWS_ENDPOINT_URL_S3 || undefined,
      maxAttempts:
        positiveNumber(env.BACKUP_S3_MAX_ATTEMPTS, "BACKUP_S3_MAX_ATTEMPTS", true) ??
        DEFAULT_S3_MAX_ATTEMPTS,
      callLog: env.GAD_AWS_CALL_LOG || undefined,
    },
  };
}

export function jobsOption(text: string | undefined): number {
  return positiveNumber(text, "--jobs", true) ?? 2;
}
