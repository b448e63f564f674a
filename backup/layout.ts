// Pure naming and sizing rules of the backup job: where a dump lives, what its manifest is
// called, and how big each multipart part is.

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** S3's limits for a multipart upload. */
export const S3_MAX_PARTS = 10_000;
export const S3_MIN_PART_BYTES = 5 * MiB;
export const S3_MAX_PART_BYTES = 5 * GiB;

/** Smallest part we use: few requests for small dumps, little memory for any. */
export const MIN_PART_BYTES = 8 * MiB;
/**
 * A custom-format dump can be larger than the database: `bytea` travels hex-encoded, so an
 * uncompressed dump of binary data is about twice its size on disk. Parts are sized for this.
 */
export const DUMP_TO_DATABASE_SIZE_FACTOR = 2;
/** Parts kept free for a database that grows while it is dumped. */
export const PART_HEADROOM = 1_000;

export const DUMP_SUFFIX = ".dump";
export const MANIFEST_SUFFIX = ".manifest.json";

/**
 * The part size for a dump of a database of `databaseBytes`: the smallest whole number of MiB
 * that fits twice the database in 9,000 parts, at least 8 MiB, at most S3's 5 GiB. A database of
 * 5 TiB thus gets parts of about 1.1 GiB, and its dump fits in 10,000 parts.
 */
export function partSizeFor(databaseBytes: number): number {
  const expected = Math.max(0, databaseBytes) * DUMP_TO_DATABASE_SIZE_FACTOR;
  const perPart = Math.ceil(expected / (S3_MAX_PARTS - PART_HEADROOM) / MiB) * MiB;
  return Math.min(S3_MAX_PART_BYTES, Math.max(MIN_PART_BYTES, perPart));
}

/** `20261128T013000Z`: sortable, readable, safe in keys and file names. */
export function formatTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

export function parseTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `<database>/<YYYY>/<MM>/<DD>/<database>-<timestamp>.dump`, relative to the destination. */
export function dumpKey(database: string, at: Date): string {
  const iso = at.toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return `${database}/${y}/${m}/${d}/${database}-${formatTimestamp(at)}${DUMP_SUFFIX}`;
}

export function manifestKey(dump: string): string {
  return `${dump}${MANIFEST_SUFFIX}`;
}

export interface ParsedKey {
  readonly database: string;
  readonly takenAt: Date;
  readonly dumpKey: string;
}

/** Recognizes a dump or manifest key of our layout; anything else is not a backup. */
export function parseKey(key: string): ParsedKey | undefined {
  const dump = key.endsWith(MANIFEST_SUFFIX) ? key.slice(0, -MANIFEST_SUFFIX.length) : key;
  const m = /^([^/]+)\/\d{4}\/\d{2}\/\d{2}\/([^/]+)-(\d{8}T\d{6}Z)\.dump$/.exec(dump);
  if (!m || m[1] !== m[2]) return undefined;
  const takenAt = parseTimestamp(m[3]);
  return takenAt ? { database: m[1], takenAt, dumpKey: dump } : undefined;
}

/** A database name usable in keys: what PostgreSQL allows minus `/` and control characters. */
export function checkDatabaseName(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && name.length <= 63 && !/[/\u0000-\u001f]/.test(name)
    ? undefined
    : "must be a database name of 1 to 63 characters without / or control characters";
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatAge(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}
