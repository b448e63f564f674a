// `drill`: prove the latest backup restores. Restore it into a scratch database, compare what
// came back with the manifest, run a sanity query, and always drop the scratch database.
import { resolveBackup } from "../catalog";
import { ConnInfo, connInfoFromEnv, describeConn, withDatabase } from "../conninfo";
import { Context, selectedDatabase } from "../context";
import { JobError } from "../errors";
import { formatTimestamp } from "../layout";
import { emfLine } from "../log";
import type { Manifest } from "../manifest";
import { jobsOption } from "../options";
import { connect, dropDatabase, exactCount, extensions } from "../postgres";
import { MAINTENANCE_DATABASE, restoreBackup, targetConn } from "./restore";

/** Run against the restored database; it must succeed and return at least one row. */
export const DEFAULT_SANITY_SQL = "SELECT count(*) FROM pg_catalog.pg_class";

export function scratchDatabaseName(at: Date): string {
  return `gad_drill_${formatTimestamp(at).toLowerCase()}`;
}

/** Differences between a restored database's counts and extensions and its manifest. */
export function compareRestored(
  manifest: Manifest,
  counts: ReadonlyMap<string, number | null>,
  installed: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const t of manifest.tables) {
    const name = `${t.schema}.${t.name}`;
    const got = counts.get(name);
    if (got === null || got === undefined) problems.push(`${name} is missing`);
    else if (t.rows !== null && got !== t.rows)
      problems.push(`${name} has ${got} rows, the manifest says ${t.rows}`);
  }
  for (const e of manifest.extensions)
    if (!installed.has(e.name)) problems.push(`extension ${e.name} is missing`);
  return problems;
}

async function check(target: ConnInfo, manifest: Manifest, sanitySql: string): Promise<string[]> {
  const db = await connect(target);
  try {
    const counts = new Map<string, number | null>();
    for (const t of manifest.tables)
      counts.set(`${t.schema}.${t.name}`, await exactCount(db, t.schema, t.name));
    const installed = new Set((await extensions(db)).map((e) => e.name));
    const problems = compareRestored(manifest, counts, installed);
    const sanity = await db.query(sanitySql).catch((err: Error) => err);
    if (sanity instanceof Error) problems.push(`sanity query failed: ${sanity.message}`);
    else if ((sanity.rowCount ?? 0) < 1) problems.push("sanity query returned no rows");
    return problems;
  } finally {
    await db.end().catch(() => undefined);
  }
}

export async function drill(ctx: Context): Promise<void> {
  const { flags } = ctx.invocation;
  const server = flags.target ? targetConn(flags.target, ctx.env) : connInfoFromEnv(ctx.env);
  const backup = await resolveBackup(ctx.storage, "latest", selectedDatabase(ctx));
  const scratch = withDatabase(server, scratchDatabaseName(ctx.now()));
  const sanitySql = ctx.env.DRILL_SANITY_SQL || DEFAULT_SANITY_SQL;
  const t0 = Date.now();
  let ok = false;
  ctx.log.info("drill.started", { key: backup.key, scratch: describeConn(scratch) });
  try {
    const restoreSeconds = await restoreBackup(ctx, backup, scratch, {
      create: true,
      force: false,
      jobs: jobsOption(flags.jobs),
      keepOwners: false,
    });
    const problems = await check(scratch, backup.manifest, sanitySql);
    if (problems.length > 0)
      throw new JobError(
        `drill of ${backup.key} found ${problems.length} difference(s): ${problems.join("; ")}`,
      );
    ok = true;
    const seconds = (Date.now() - t0) / 1000;
    ctx.log.info("drill.completed", {
      key: backup.key,
      tables: backup.manifest.tables.length,
      seconds,
      restoreSeconds,
    });
    ctx.out(
      `drill passed: ${backup.key} restored in ${restoreSeconds.toFixed(1)} s; ${backup.manifest.tables.length} tables match the manifest`,
    );
  } finally {
    const maintenance = await connect(withDatabase(server, MAINTENANCE_DATABASE)).catch(
      () => undefined,
    );
    if (maintenance) {
      await dropDatabase(maintenance, scratch.database).catch((err) =>
        ctx.log.warn("drill.drop-failed", { database: scratch.database, message: String(err) }),
      );
      await maintenance.end().catch(() => undefined);
    } else {
      ctx.log.warn("drill.drop-failed", {
        database: scratch.database,
        message: "cannot connect to drop it",
      });
    }
    const seconds = (Date.now() - t0) / 1000;
    ctx.out(
      emfLine(
        ctx.settings.metricNamespace,
        { database: backup.database, stack: ctx.settings.stack ?? "unknown" },
        [
          { name: "DrillSucceeded", value: ok ? 1 : 0, unit: "Count" },
          { name: "DrillSeconds", value: seconds, unit: "Seconds" },
        ],
      ),
    );
  }
}
