// The manifest: written last, next to its dump, it is what makes a dump a backup. Reading one
// validates every field the commands rely on, so a damaged manifest is an error, not a guess.

export const MANIFEST_FORMAT = "gad-backup-manifest";
export const MANIFEST_FORMAT_VERSION = 1;

export interface TableRows {
  readonly schema: string;
  readonly name: string;
  /** Exact count in the dump's snapshot, or null when counting was turned off. */
  readonly rows: number | null;
  /** The planner's estimate (`pg_class.reltuples`), -1 when the table was never analyzed. */
  readonly estimatedRows: number;
}

export interface Extension {
  readonly name: string;
  readonly version: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly formatVersion: number;
  readonly jobVersion: string;
  readonly database: string;
  /** Host and port the dump was taken from; never credentials. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly serverVersion: string;
  readonly serverVersionNum: number;
  readonly pgDumpVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly compression: string;
  readonly object: {
    /** Key relative to the destination. */
    readonly key: string;
    /** The destination the dump was written to, e.g. `s3://bucket/prefix`. */
    readonly destination: string;
    /** S3 version of the dump object, when the bucket is versioned. */
    readonly versionId: string | null;
    readonly parts: number;
    readonly partSizeBytes: number;
  };
  readonly stack: string | null;
  readonly extensions: readonly Extension[];
  readonly tables: readonly TableRows[];
}

export class ManifestError extends Error {}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === "string";
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isSha256: Check = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
const isIsoDate: Check = (v) => typeof v === "string" && !Number.isNaN(Date.parse(v));
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);

const FIELDS: Record<string, Check> = {
  jobVersion: isString,
  database: isString,
  host: isString,
  port: isCount,
  user: isString,
  serverVersion: isString,
  serverVersionNum: isCount,
  pgDumpVersion: isString,
  startedAt: isIsoDate,
  finishedAt: isIsoDate,
  durationSeconds: isNumber,
  sizeBytes: isCount,
  sha256: isSha256,
  compression: isString,
  stack: orNull(isString),
};
const OBJECT_FIELDS: Record<string, Check> = {
  key: isString,
  destination: isString,
  versionId: orNull(isString),
  parts: isCount,
  partSizeBytes: isCount,
};

/** Parses and validates a manifest; `where` names it in errors. */
export function parseManifest(text: string, where: string): Manifest {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ManifestError(`manifest ${where} is not valid JSON`);
  }
  const bad = (field: string) =>
    new ManifestError(`manifest ${where} has an invalid or missing ${field}`);
  if (data === null || typeof data !== "object") throw bad("body");
  if (data.format !== MANIFEST_FORMAT) throw bad("format");
  if (data.formatVersion !== MANIFEST_FORMAT_VERSION) {
    throw new ManifestError(
      `manifest ${where} has format version ${JSON.stringify(data.formatVersion)}; this job reads version ${MANIFEST_FORMAT_VERSION}: use a matching gad-backup`,
    );
  }
  for (const [field, check] of Object.entries(FIELDS)) if (!check(data[field])) throw bad(field);
  const object = data.object as Record<string, unknown> | undefined;
  if (!object || typeof object !== "object") throw bad("object");
  for (const [field, check] of Object.entries(OBJECT_FIELDS)) {
    if (!check(object[field])) throw bad(`object.${field}`);
  }
  if (
    !Array.isArray(data.extensions) ||
    !data.extensions.every((e) => isString(e?.name) && isString(e?.version))
  ) {
    throw bad("extensions");
  }
  const tableOk = (t: Record<string, unknown>) =>
    isString(t?.schema) &&
    isString(t?.name) &&
    orNull(isCount)(t?.rows) &&
    isNumber(t?.estimatedRows);
  if (!Array.isArray(data.tables) || !data.tables.every(tableOk)) throw bad("tables");
  return data as unknown as Manifest;
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
