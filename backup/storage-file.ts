// Local-directory storage (the application's "local backups" mode). A dump is written to
// `<key>.partial` and renamed into place only when complete and synced; small objects are
// written to a temporary name and renamed, so nothing is ever half-written under its real name.
import { createReadStream, promises as fs } from "fs";
import * as path from "path";
import type { Readable } from "stream";
import { JobError } from "./errors";
import { ObjectWriter, Storage, StoredObject, WriteResult } from "./storage";

const PARTIAL_SUFFIX = ".partial";
/** Chunks from a pipe are small; gather them into writes of this size. */
const WRITE_BUFFER_BYTES = 1024 * 1024;
/** Reads of a stored dump: 1 MiB steps hash twice as fast as the default 64 KiB (measured). */
const READ_CHUNK_BYTES = 1024 * 1024;

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Gathers chunks into 1 MiB writes and keeps one write in flight while the next gathers, so the
 * producer (pg_dump) is not held up by the disk.
 */
class FileWriter implements ObjectWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private size = 0;
  private inFlight: Promise<unknown> | undefined;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly partial: string,
    private readonly final: string,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.size += chunk.length;
    if (this.pendingBytes >= WRITE_BUFFER_BYTES) await this.drain();
  }

  /** Waits for the previous write, then starts writing what has gathered. */
  private async drain(): Promise<void> {
    await this.inFlight;
    if (this.pendingBytes === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const writing = this.handle.writev(chunks);
    this.inFlight = writing;
    // A failure surfaces at the next drain (write or complete), never unhandled.
    writing.catch(() => undefined);
  }

  async complete(): Promise<WriteResult> {
    await this.drain();
    await this.inFlight;
    await this.handle.sync();
    await this.handle.close();
    await fs.rename(this.partial, this.final);
    await syncDirectory(path.dirname(this.final));
    return { sizeBytes: this.size, versionId: null, parts: 1, partSizeBytes: this.size };
  }

  async abort(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.partial, { force: true });
  }
}

export class FileStorage implements Storage {
  constructor(
    private readonly directory: string,
    readonly url: string,
  ) {}

  private resolve(key: string): string {
    const full = path.resolve(this.directory, key);
    if (!full.startsWith(`${path.resolve(this.directory)}${path.sep}`)) {
      throw new JobError(`key ${JSON.stringify(key)} leaves the backup directory`);
    }
    return full;
  }

  localFile(key: string): string {
    return this.resolve(key);
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.resolve(key)).then(
      () => true,
      () => false,
    );
  }

  async createWriter(key: string): Promise<ObjectWriter> {
    const final = this.resolve(key);
    const partial = `${final}${PARTIAL_SUFFIX}`;
    await fs.mkdir(path.dirname(final), { recursive: true });
    const handle = await fs.open(partial, "wx").catch((err: NodeJS.ErrnoException) => {
      throw new JobError(
        `cannot create ${partial}: ${err.code === "EEXIST" ? "another backup is writing it" : err.message}`,
      );
    });
    return new FileWriter(handle, partial, final);
  }

  async putText(key: string, body: string): Promise<void> {
    const final = this.resolve(key);
    const temp = `${final}.${process.pid}.tmp`;
    await fs.mkdir(path.dirname(final), { recursive: true });
    const handle = await fs.open(temp, "w");
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, final);
    await syncDirectory(path.dirname(final));
  }

  async readText(key: string): Promise<string> {
    return fs.readFile(this.resolve(key), "utf8");
  }

  async readStream(key: string): Promise<Readable> {
    const file = this.resolve(key);
    await fs.access(file).catch(() => {
      throw new JobError(`${this.url}/${key} does not exist`);
    });
    return createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const start = prefix ? this.resolve(prefix) : path.resolve(this.directory);
    yield* this.walk(start);
  }

  private async *walk(dir: string): AsyncIterable<StoredObject> {
    const entries = await fs
      .readdir(dir, { withFileTypes: true })
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return [];
        throw err;
      });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(full);
      } else if (entry.isFile()) {
        const stat = await fs.stat(full);
        const key = path.relative(this.directory, full).split(path.sep).join("/");
        yield { key, size: stat.size, lastModified: stat.mtime };
      }
    }
  }
}
