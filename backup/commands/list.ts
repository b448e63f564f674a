// `list [--json]`: complete backups (those with a manifest), newest first.
import { Backup, listBackups } from "../catalog";
import { Context, selectedDatabase } from "../context";
import { formatAge, formatBytes } from "../layout";

export function renderTable(backups: readonly Backup[], now: Date): string[] {
  const rows = backups.map((b) => [
    b.key,
    formatBytes(b.manifest.sizeBytes),
    formatAge(b.takenAt, now),
    b.manifest.sha256.slice(0, 12),
  ]);
  const header = ["KEY", "SIZE", "AGE", "SHA256"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)];
}

export async function list(ctx: Context): Promise<void> {
  const backups = await listBackups(ctx.storage, selectedDatabase(ctx));
  if (ctx.invocation.flags.json) {
    const items = backups.map((b) => ({
      key: b.key,
      database: b.database,
      takenAt: b.takenAt.toISOString(),
      sizeBytes: b.manifest.sizeBytes,
      sha256: b.manifest.sha256,
      durationSeconds: b.manifest.durationSeconds,
      serverVersion: b.manifest.serverVersion,
      versionId: b.manifest.object.versionId,
    }));
    ctx.out(JSON.stringify(items, null, 2));
    return;
  }
  if (backups.length === 0) {
    ctx.out(`no backups in ${ctx.storage.url}`);
    return;
  }
  for (const line of renderTable(backups, ctx.now())) ctx.out(line);
}
