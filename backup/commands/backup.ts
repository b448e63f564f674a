// `backup`: pg_dump → SHA-256 → storage, in one pass and without a temporary file; the manifest
// is written last. Any failure aborts the upload (or removes the partial file) and writes no
// manifest, so nothing that looks like a backup is left behind.
import { createHash } from "crypto";
import type { Client } from "pg";
import { connInfoFromEnv, libpqEnv } from "../conninfo";
import { Context, throwIfCancelled } from "../context";
import { JobError, UsageError, redact } from "../errors";
import { checkDatabaseName, dumpKey, manifestKey, partSizeFor } from "../layout";
import { emfLine, peakRssBytes, progressFields } from "../log";
import { MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, Manifest, renderManifest } from "../manifest";
import { APPLICATION_NAME, connect, extensions, serverInfo, tableRows } from "../postgres";
import type { ObjectWriter } from "../storage";
import { Running, checkClientVersion, serverMajor, start, stop, toolVersion } from "../tools";

/** "PGDMP", three version bytes, int size, offset size, then the format: 1 is custom. */
const ARCHIVE_MAGIC = Buffer.from("PGDMP");
const ARCHIVE_FORMAT_OFFSET = 10;
const ARCHIVE_FORMAT_CUSTOM = 1;
/** A custom-format archive of an empty database is still several hundred bytes. */
export const MIN_ARCHIVE_BYTES = 200;

/** Why these bytes cannot be the start of a complete custom-format archive, if they cannot. */
export function checkArchiveStart(head: Buffer, size: number): string | undefined {
  if (size === 0) return "pg_dump wrote nothing";
  if (!head.subarray(0, ARCHIVE_MAGIC.length).equals(ARCHIVE_MAGIC))
    return "the output is not a pg_dump archive";
  if (head[ARCHIVE_FORMAT_OFFSET] !== ARCHIVE_FORMAT_CUSTOM)
    return "the output is not a custom-format archive";
  if (size < MIN_ARCHIVE_BYTES)
    return `the archive is only ${size} bytes: a header without contents`;
  return undefined;
}

export async function backup(ctx: Context): Promise<void> {
  const { settings, storage, log, signal } = ctx;
  const conn = connInfoFromEnv(ctx.env);
  const badName = checkDatabaseName(conn.database);
  if (badName)
    throw new UsageError(
      `database ${JSON.stringify(conn.database)} ${badName}: it names the backup's keys`,
    );
  const secrets = [conn.password];
  const pgDump = await toolVersion("pg_dump", ctx.env);
  let client: Client | undefined;
  let writer: ObjectWriter | undefined;
  let dump: Running | undefined;
  let progress: NodeJS.Timeout | undefined;
  const startedAt = ctx.now();
  const stopDump = () => dump && stop(dump);
  signal.addEventListener("abort", stopDump);
  try {
    client = await connect(conn);
    const info = await serverInfo(client);
    checkClientVersion(
      "pg_dump",
      pgDump,
      serverMajor(info.versionNum),
      `the server (PostgreSQL ${info.version})`,
    );
    const exts = await extensions(client);
    const snapshot = await exportSnapshot(client);
    const key = dumpKey(conn.database, startedAt);
    if ((await storage.exists(key)) || (await storage.exists(manifestKey(key)))) {
      throw new JobError(
        `${storage.url}/${key} already exists: another backup started this second`,
      );
    }
    const partSize = settings.partSizeBytes ?? partSizeFor(info.databaseBytes);
    throwIfCancelled(signal);
    writer = await storage.createWriter(key, partSize, signal);
    log.info("backup.started", {
      database: conn.database,
      host: conn.host,
      destination: `${storage.url}/${key}`,
      serverVersion: info.version,
      pgDumpVersion: pgDump.text,
      databaseBytes: info.databaseBytes,
      partSizeBytes: partSize,
      compression: settings.compression,
    });

    dump = start(
      "pg_dump",
      [
        "--format=custom",
        `--compress=${settings.compression}`,
        `--snapshot=${snapshot}`,
        "--no-password",
      ],
      ctx.env,
      libpqEnv(conn, ctx.env, `${APPLICATION_NAME}:pg_dump`),
      "ignore",
    );
    // Counted in the exported snapshot: exactly the rows the dump contains.
    const counting = tableRows(client, settings.rowCounts === "exact");
    counting.catch(() => undefined);

    const hash = createHash("sha256");
    let size = 0;
    let head = Buffer.alloc(0);
    const t0 = Date.now();
    progress = setInterval(
      () => log.info("backup.progress", progressFields(size, t0, Date.now())),
      settings.progressSeconds * 1000,
    );
    for await (const chunk of dump.child.stdout as AsyncIterable<Buffer>) {
      hash.update(chunk);
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64)]);
      await writer.write(chunk);
      size += chunk.length;
    }
    const exit = await dump.exit;
    throwIfCancelled(signal);
    if (exit !== 0) {
      throw new JobError(
        `pg_dump failed (${typeof exit === "number" ? `exit ${exit}` : exit}): ${redact(dump.stderr.lastLine(), secrets) || "no message"}`,
      );
    }
    const bad = checkArchiveStart(head, size);
    if (bad) throw new JobError(`refusing to store the dump: ${bad}`);
    const tables = await counting;
    await client.query("COMMIT");

    const stored = await writer.complete();
    writer = undefined;
    if (stored.sizeBytes !== size)
      throw new JobError(`stored ${stored.sizeBytes} bytes, read ${size}`);
    const finishedAt = ctx.now();
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_FORMAT_VERSION,
      jobVersion: ctx.jobVersion,
      database: conn.database,
      host: conn.host,
      port: conn.port,
      user: conn.user,
      serverVersion: info.version,
      serverVersionNum: info.versionNum,
      pgDumpVersion: pgDump.text,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      sizeBytes: size,
      sha256: hash.digest("hex"),
      compression: settings.compression,
      object: {
        key,
        destination: storage.url,
        versionId: stored.versionId,
        parts: stored.parts,
        partSizeBytes: stored.partSizeBytes,
      },
      stack: settings.stack,
      extensions: exts,
      tables,
    };
    await storage.putText(manifestKey(key), renderManifest(manifest));
    log.info("backup.completed", {
      key,
      sizeBytes: size,
      sha256: manifest.sha256,
      durationSeconds: manifest.durationSeconds,
      ...progressFields(size, t0, Date.now()),
      peakRssBytes: peakRssBytes(),
    });
    ctx.out(metrics(ctx, conn.database, true, size, manifest.durationSeconds));
  } catch (err) {
    if (dump) {
      stop(dump);
      await dump.exit;
    }
    if (writer) {
      await writer.abort().catch((abortErr) =>
        log.warn("backup.abort-failed", {
          message: String(abortErr),
          note: "the bucket's lifecycle removes incomplete uploads after one day",
        }),
      );
    }
    ctx.out(
      metrics(ctx, conn.database, false, 0, (ctx.now().getTime() - startedAt.getTime()) / 1000),
    );
    throw err;
  } finally {
    clearInterval(progress);
    signal.removeEventListener("abort", stopDump);
    await client?.end().catch(() => undefined);
  }
}

async function exportSnapshot(client: Client): Promise<string> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const { rows } = await client.query("SELECT pg_export_snapshot() AS id");
  return rows[0].id;
}

function metrics(
  ctx: Context,
  database: string,
  ok: boolean,
  bytes: number,
  seconds: number,
): string {
  return emfLine(
    ctx.settings.metricNamespace,
    { database, stack: ctx.settings.stack ?? "unknown" },
    [
      { name: "BackupSucceeded", value: ok ? 1 : 0, unit: "Count" },
      ...(ok
        ? [
            { name: "BackupBytes", value: bytes, unit: "Bytes" as const },
            { name: "BackupSeconds", value: seconds, unit: "Seconds" as const },
          ]
        : []),
    ],
  );
}
