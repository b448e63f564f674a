// Where backups live: an S3 bucket and prefix, or a local directory. Keys passed to and
// returned by a Storage are relative to its prefix.
import type { Readable } from "stream";
import { UsageError } from "./errors";

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

export interface WriteResult {
  readonly sizeBytes: number;
  readonly versionId: string | null;
  readonly parts: number;
  readonly partSizeBytes: number;
}

/** A dump being written. Either `complete()` makes it visible, or `abort()` leaves nothing. */
export interface ObjectWriter {
  write(chunk: Buffer): Promise<void>;
  complete(): Promise<WriteResult>;
  abort(): Promise<void>;
}

export interface Storage {
  /** The destination as the user gave it, e.g. `s3://bucket/prefix`. */
  readonly url: string;
  exists(key: string): Promise<boolean>;
  createWriter(key: string, partSizeBytes: number, signal: AbortSignal): Promise<ObjectWriter>;
  /** Writes a small text object in one step (never half-written). */
  putText(key: string, body: string): Promise<void>;
  readText(key: string): Promise<string>;
  readStream(key: string, versionId: string | null, signal?: AbortSignal): Promise<Readable>;
  /** The path of `key` when it is a file on this machine (it can be read in place). */
  localFile(key: string): string | undefined;
  /** Every object under `prefix`, in any order, past any page limit. */
  list(prefix: string): AsyncIterable<StoredObject>;
}

export type Destination =
  | { readonly kind: "s3"; readonly bucket: string; readonly prefix: string; readonly url: string }
  | { readonly kind: "file"; readonly directory: string; readonly url: string };

/** Parses `s3://bucket/prefix` or `file:///absolute/dir`. */
export function parseDestination(text: string, what = "BACKUP_DESTINATION"): Destination {
  const s3 = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (s3) {
    const prefix = (s3[2] ?? "").replace(/^\/+|\/+$/g, "");
    return { kind: "s3", bucket: s3[1], prefix, url: `s3://${s3[1]}${prefix ? `/${prefix}` : ""}` };
  }
  if (text.startsWith("file://")) {
    let directory: string;
    try {
      directory = decodeURIComponent(new URL(text).pathname);
    } catch {
      directory = "";
    }
    if (!directory.startsWith("/") || new URL(text).host !== "") {
      throw new UsageError(
        `${what} must name an absolute directory: file:///var/backups (got ${text})`,
      );
    }
    return { kind: "file", directory: directory.replace(/\/+$/, "") || "/", url: text };
  }
  throw new UsageError(
    `${what} must be s3://<bucket>/<prefix> or file:///<directory> (got ${JSON.stringify(text)})`,
  );
}

/** Joins a storage prefix and a relative key. */
export function joinKey(prefix: string, key: string): string {
  return prefix ? `${prefix}/${key}` : key;
}
