// The backups in a destination: manifests found by listing, read and validated. A dump without
// its manifest never appears here, for any command.
import { JobError } from "./errors";
import { DUMP_SUFFIX, MANIFEST_SUFFIX, manifestKey, parseKey } from "./layout";
import { Manifest, ManifestError, parseManifest } from "./manifest";
import type { Storage } from "./storage";

export interface Backup {
  readonly key: string;
  readonly database: string;
  readonly takenAt: Date;
  readonly manifest: Manifest;
}

/** Manifests fetched at once while listing. */
const READ_CONCURRENCY = 16;

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads the backup of `dumpKey`; `listed` says its manifest was just seen in a listing. */
export async function readBackup(
  storage: Storage,
  dumpKey: string,
  listed = false,
): Promise<Backup> {
  const parsed = parseKey(dumpKey);
  if (!parsed) {
    throw new JobError(
      `${JSON.stringify(dumpKey)} is not a backup key: expected <database>/<YYYY>/<MM>/<DD>/<database>-<YYYYMMDDTHHMMSSZ>${DUMP_SUFFIX} (see list)`,
    );
  }
  const mKey = manifestKey(parsed.dumpKey);
  if (!listed && !(await storage.exists(mKey))) {
    throw new JobError(
      `${parsed.dumpKey} has no manifest in ${storage.url}: it is not a complete backup`,
    );
  }
  const manifest = parseManifest(await storage.readText(mKey), `${storage.url}/${mKey}`);
  if (manifest.object.key !== parsed.dumpKey) {
    throw new ManifestError(
      `manifest ${mKey} describes ${manifest.object.key}, not ${parsed.dumpKey}`,
    );
  }
  return { key: parsed.dumpKey, database: parsed.database, takenAt: parsed.takenAt, manifest };
}

/** Every backup (of `database`, or of all), newest first. */
export async function listBackups(storage: Storage, database?: string): Promise<Backup[]> {
  const keys: string[] = [];
  for await (const o of storage.list(database ? `${database}/` : "")) {
    if (o.key.endsWith(MANIFEST_SUFFIX) && parseKey(o.key))
      keys.push(o.key.slice(0, -MANIFEST_SUFFIX.length));
  }
  const backups = await mapLimit(keys, READ_CONCURRENCY, (k) => readBackup(storage, k, true));
  return backups.sort(
    (a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.key.localeCompare(a.key),
  );
}

/** Which database `latest` means: the one named, else the only one stored. */
export function chooseDatabase(
  backups: readonly Backup[],
  named: string | undefined,
  url: string,
): string {
  if (named) return named;
  const names = [...new Set(backups.map((b) => b.database))].sort();
  if (names.length === 1) return names[0];
  if (names.length === 0) throw new JobError(`no backups in ${url}`);
  throw new JobError(
    `${url} holds backups of several databases (${names.join(", ")}): choose one with --database or BACKUP_DATABASE`,
  );
}

/** Resolves `latest` or a key to a backup with a valid manifest. */
export async function resolveBackup(
  storage: Storage,
  ref: string,
  database: string | undefined,
): Promise<Backup> {
  if (ref !== "latest")
    return readBackup(
      storage,
      ref.endsWith(MANIFEST_SUFFIX) ? ref.slice(0, -MANIFEST_SUFFIX.length) : ref,
    );
  const all = await listBackups(storage, database);
  const chosen = chooseDatabase(all, database, storage.url);
  const latest = all.find((b) => b.database === chosen);
  if (!latest) throw new JobError(`no backups of ${chosen} in ${storage.url}`);
  return latest;
}
