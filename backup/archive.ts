// Reading a stored dump back: every byte is hashed and counted on its way to a consumer, and the
// result is compared with the manifest before anybody acts on it.
import { createHash } from "crypto";
import { once } from "events";
import { createWriteStream, promises as fs } from "fs";
import * as path from "path";
import { Writable } from "stream";
import type { Backup } from "./catalog";
import type { Context } from "./context";
import { JobError } from "./errors";
import { formatBytes } from "./layout";
import { progressFields } from "./log";

export interface ReadResult {
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** Why a read-back copy differs from its manifest, if it does. */
export function compareWithManifest(backup: Backup, got: ReadResult): string | undefined {
  const m = backup.manifest;
  if (got.sizeBytes !== m.sizeBytes) {
    return `${backup.key} is ${got.sizeBytes} bytes, its manifest says ${m.sizeBytes}: the dump is truncated or altered`;
  }
  if (got.sha256 !== m.sha256) {
    return `${backup.key} has SHA-256 ${got.sha256}, its manifest says ${m.sha256}: the dump is corrupt`;
  }
  return undefined;
}

/** Waits until `sink` wants more data or is gone, leaving no listener behind. */
function drained(sink: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      sink.off("close", done);
      resolve();
    };
    sink.on("drain", done);
    sink.on("close", done);
  });
}

/**
 * Streams the backup's dump (the exact version its manifest names) into `sink`, hashing it.
 * `sink` may stop early (a consumer that failed); reading then goes on to finish the hash.
 */
export async function streamBackup(
  ctx: Context,
  backup: Backup,
  sink: Writable,
  what: string,
): Promise<ReadResult> {
  const stream = await ctx.storage.readStream(
    backup.key,
    backup.manifest.object.versionId,
    ctx.signal,
  );
  const hash = createHash("sha256");
  let size = 0;
  let sinkOpen = true;
  sink.on("error", () => (sinkOpen = false));
  sink.on("close", () => (sinkOpen = false));
  const t0 = Date.now();
  const progress = setInterval(
    () =>
      ctx.log.info(`${what}.progress`, {
        ...progressFields(size, t0, Date.now()),
        totalBytes: backup.manifest.sizeBytes,
      }),
    ctx.settings.progressSeconds * 1000,
  );
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (sinkOpen && !sink.write(chunk)) await drained(sink);
    }
  } finally {
    clearInterval(progress);
    if (sinkOpen) sink.end();
  }
  return { sizeBytes: size, sha256: hash.digest("hex") };
}

/** A verified local copy of a dump, and how to get rid of it afterwards. */
export interface VerifiedFile {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * A local file of the backup's dump whose size and SHA-256 match its manifest. A dump already in
 * a local directory is checked where it is; any other is downloaded into a new private
 * directory under BACKUP_TMPDIR, removed by `release()`.
 */
export async function verifiedLocalFile(ctx: Context, backup: Backup): Promise<VerifiedFile> {
  const local = ctx.storage.localFile(backup.key);
  if (local) {
    const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
    const problem = compareWithManifest(backup, await streamBackup(ctx, backup, discard, "verify"));
    if (problem) throw new JobError(`${problem}; nothing was restored`);
    return { file: local, release: async () => undefined };
  }
  const need = backup.manifest.sizeBytes;
  const stat = await fs.statfs(ctx.settings.tmpDir).catch(() => undefined);
  if (stat && stat.bavail * stat.bsize < need) {
    throw new JobError(
      `${ctx.settings.tmpDir} has ${formatBytes(stat.bavail * stat.bsize)} free, the dump needs ${formatBytes(need)}: set BACKUP_TMPDIR to a larger volume`,
    );
  }
  const dir = await fs.mkdtemp(path.join(ctx.settings.tmpDir, "gad-restore-"));
  const release = () => fs.rm(dir, { recursive: true, force: true });
  const file = path.join(dir, path.basename(backup.key));
  try {
    const sink = createWriteStream(file, { mode: 0o600 });
    const finished = once(sink, "finish");
    const got = await streamBackup(ctx, backup, sink, "download");
    await finished;
    const problem = compareWithManifest(backup, got);
    if (problem) throw new JobError(`${problem}; nothing was restored`);
    return { file, release };
  } catch (err) {
    await release();
    throw err;
  }
}
