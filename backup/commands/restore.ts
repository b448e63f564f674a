// `restore <key|latest> --target <url>`: download and verify first, touch the target only
// after the dump proved to be the one the manifest describes; never interactive.
import { verifiedLocalFile } from "../archive";
import { Backup, resolveBackup } from "../catalog";
import { ConnInfo, describeConn, libpqEnv, parseDatabaseUrl, withDatabase } from "../conninfo";
import { Context, selectedDatabase, throwIfCancelled } from "../context";
import { JobError, UsageError } from "../errors";
import { peakRssBytes } from "../log";
import { jobsOption } from "../options";
import {
  APPLICATION_NAME,
  connect,
  createDatabase,
  databaseExists,
  userObjectCount,
} from "../postgres";
import { checkClientVersion, parseToolVersion, start, stop, toolVersion } from "../tools";

/** Database used to create the target: present on every PostgreSQL server, RDS included. */
export const MAINTENANCE_DATABASE = "postgres";

export interface RestoreOptions {
  readonly create: boolean;
  readonly force: boolean;
  readonly jobs: number;
  readonly keepOwners: boolean;
}

/** The target from --target; a password missing from the URL comes from PGPASSWORD. */
export function targetConn(text: string | undefined, env: NodeJS.ProcessEnv): ConnInfo {
  if (!text)
    throw new UsageError(
      "restore needs --target postgresql://user@host:5432/database (password in PGPASSWORD)",
    );
  const conn = parseDatabaseUrl(text, "--target");
  return conn.password === undefined && env.PGPASSWORD
    ? { ...conn, password: env.PGPASSWORD }
    : conn;
}

/** Prepares the target database: created when asked, refused when it holds objects. */
async function prepareTarget(target: ConnInfo, opts: RestoreOptions): Promise<{ clean: boolean }> {
  const maintenance = await connect(withDatabase(target, MAINTENANCE_DATABASE));
  try {
    if (!(await databaseExists(maintenance, target.database))) {
      if (!opts.create) {
        throw new JobError(
          `target database ${target.database} does not exist on ${target.host}: add --create`,
        );
      }
      await createDatabase(maintenance, target.database);
      return { clean: false };
    }
  } finally {
    await maintenance.end().catch(() => undefined);
  }
  const db = await connect(target);
  try {
    const objects = await userObjectCount(db);
    if (objects > 0 && !opts.force) {
      throw new JobError(
        `target database ${target.database} is not empty (${objects} objects): restore into a new database with --create, or add --force to drop and replace the objects the backup contains`,
      );
    }
    return { clean: objects > 0 };
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Restores `backup` into `target`; returns the seconds pg_restore took. */
export async function restoreBackup(
  ctx: Context,
  backup: Backup,
  target: ConnInfo,
  opts: RestoreOptions,
): Promise<number> {
  const pgRestore = await toolVersion("pg_restore", ctx.env);
  const archiveVersion = parseToolVersion(`(PostgreSQL) ${backup.manifest.pgDumpVersion}`);
  if (archiveVersion) {
    checkClientVersion(
      "pg_restore",
      pgRestore,
      archiveVersion.major,
      `the archive (made by pg_dump ${backup.manifest.pgDumpVersion})`,
    );
  }

  const { file, release } = await verifiedLocalFile(ctx, backup);
  try {
    throwIfCancelled(ctx.signal);
    const { clean } = await prepareTarget(target, opts);
    ctx.log.info("restore.started", {
      key: backup.key,
      target: describeConn(target),
      jobs: opts.jobs,
      clean,
    });
    const args = [
      "--exit-on-error",
      `--jobs=${opts.jobs}`,
      "--no-password",
      `--dbname=${target.database}`,
      ...(opts.keepOwners ? [] : ["--no-owner", "--no-privileges"]),
      ...(clean ? ["--clean", "--if-exists"] : []),
      file,
    ];
    const t0 = Date.now();
    const running = start(
      "pg_restore",
      args,
      ctx.env,
      libpqEnv(target, ctx.env, `${APPLICATION_NAME}:pg_restore`),
      "ignore",
    );
    const stopRestore = () => stop(running);
    ctx.signal.addEventListener("abort", stopRestore);
    const exit = await running.exit.finally(() =>
      ctx.signal.removeEventListener("abort", stopRestore),
    );
    throwIfCancelled(ctx.signal);
    if (exit !== 0) {
      throw new JobError(
        `pg_restore failed (${typeof exit === "number" ? `exit ${exit}` : exit}); ${target.database} is partly restored: ${running.stderr.lastLine() || "no message"}`,
      );
    }
    return (Date.now() - t0) / 1000;
  } finally {
    await release();
  }
}

export async function restore(ctx: Context): Promise<void> {
  const { flags, positionals } = ctx.invocation;
  const target = targetConn(flags.target, ctx.env);
  const opts = {
    create: flags.create,
    force: flags.force,
    jobs: jobsOption(flags.jobs),
    keepOwners: flags.keepOwners,
  };
  const backup = await resolveBackup(ctx.storage, positionals[0], selectedDatabase(ctx));
  const t0 = Date.now();
  const restoreSeconds = await restoreBackup(ctx, backup, target, opts);
  const seconds = (Date.now() - t0) / 1000;
  ctx.log.info("restore.completed", {
    key: backup.key,
    target: describeConn(target),
    seconds,
    restoreSeconds,
    peakRssBytes: peakRssBytes(),
  });
  ctx.out(
    `restored ${backup.key} into ${describeConn(target)} in ${seconds.toFixed(1)} s (pg_restore ${restoreSeconds.toFixed(1)} s)`,
  );
}
