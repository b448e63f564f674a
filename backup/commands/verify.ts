// `verify <key|latest>`: read the dump back, compare size and SHA-256 with the manifest, and let
// pg_restore read the whole archive (its table of contents and every data block) to /dev/null.
import { streamBackup, compareWithManifest } from "../archive";
import { resolveBackup } from "../catalog";
import { Context, selectedDatabase, throwIfCancelled } from "../context";
import { JobError } from "../errors";
import { start, stop } from "../tools";
import type { Writable } from "stream";

export async function verify(ctx: Context): Promise<void> {
  const backup = await resolveBackup(
    ctx.storage,
    ctx.invocation.positionals[0],
    selectedDatabase(ctx),
  );
  ctx.log.info("verify.started", { key: backup.key, sizeBytes: backup.manifest.sizeBytes });
  const reader = start("pg_restore", ["--file=/dev/null"], ctx.env, ctx.env, "pipe");
  const stopReader = () => stop(reader);
  ctx.signal.addEventListener("abort", stopReader);
  try {
    const got = await streamBackup(ctx, backup, reader.child.stdin as Writable, "verify");
    const exit = await reader.exit;
    throwIfCancelled(ctx.signal);
    const mismatch = compareWithManifest(backup, got);
    if (mismatch) throw new JobError(mismatch);
    if (exit !== 0) {
      throw new JobError(
        `${backup.key} matches its manifest but pg_restore cannot read it: ${reader.stderr.lastLine() || `exit ${exit}`}`,
      );
    }
    ctx.log.info("verify.completed", {
      key: backup.key,
      sizeBytes: got.sizeBytes,
      sha256: got.sha256,
    });
    ctx.out(
      `verified ${backup.key}: ${got.sizeBytes} bytes, sha256 ${got.sha256}, archive readable by pg_restore`,
    );
  } finally {
    stop(reader);
    ctx.signal.removeEventListener("abort", stopReader);
  }
}
