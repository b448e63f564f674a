// S3 storage. A dump is one multipart upload: parts are filled from the stream and uploaded one
// at a time while the next fills, so memory stays at two parts whatever the dump's size. The SDK
// retries each request; when it gives up, the upload is aborted and nothing remains.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "crypto";
import type { Readable } from "stream";
import { recordCalls } from "./call-log";
import { JobError } from "./errors";
import { S3_MAX_PARTS, formatBytes } from "./layout";
import { ObjectWriter, Storage, StoredObject, WriteResult, joinKey } from "./storage";

export interface S3Settings {
  readonly region: string;
  /** An S3-compatible endpoint (AWS_ENDPOINT_URL_S3); path-style addressing is used with it. */
  readonly endpoint?: string;
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** GAD_AWS_CALL_LOG: a file each call is recorded in (call-log.ts). */
  readonly callLog?: string;
}

export function s3Client(settings: S3Settings): S3Client {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    maxAttempts: settings.maxAttempts,
    // The manifest's SHA-256 covers the whole object; skip the SDK's default CRC trailers,
    // which S3-compatible servers do not all accept.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  recordCalls(client as never, "s3", settings.callLog);
  return client;
}

/**
 * Base64 MD5 of a request body. S3 refuses uploads into a bucket with an Object Lock default
 * retention (production's) unless each PutObject and UploadPart carries Content-MD5 or a
 * checksum; it also lets S3 reject a part damaged in transit.
 */
export function contentMd5(body: Buffer | string): string {
  return createHash("md5").update(body).digest("base64");
}

function describeS3Error(err: unknown): string {
  const e = err as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const details = [
    e.$metadata?.httpStatusCode ? `HTTP ${e.$metadata.httpStatusCode}` : "",
    e.$metadata?.attempts ? `${e.$metadata.attempts} attempts` : "",
  ].filter(Boolean);
  const suffix = details.length > 0 ? ` (${details.join(", ")})` : "";
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}${suffix}`;
}

class MultipartWriter implements ObjectWriter {
  private buffer: Buffer;
  private spare: Buffer | undefined;
  private filled = 0;
  private size = 0;
  private readonly parts: { PartNumber: number; ETag: string }[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly uploadId: string,
    private readonly partSize: number,
    private readonly signal: AbortSignal,
  ) {
    this.buffer = Buffer.allocUnsafe(partSize);
  }

  async write(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, this.partSize - this.filled);
      chunk.copy(this.buffer, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.partSize) await this.flush();
    }
    this.size += chunk.length;
  }

  /** Starts uploading the full buffer once the previous part is done. */
  private async flush(): Promise<void> {
    await this.settle();
    const partNumber = this.parts.length + 1;
    if (partNumber > S3_MAX_PARTS) {
      throw new JobError(
        `the dump outgrew ${S3_MAX_PARTS} parts of ${formatBytes(this.partSize)}: set BACKUP_PART_SIZE_MB higher`,
      );
    }
    const full = this.buffer;
    const body = full.subarray(0, this.filled);
    this.buffer = this.spare ?? Buffer.allocUnsafe(this.partSize);
    this.spare = undefined;
    this.filled = 0;
    this.inFlight = this.client
      .send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentMD5: contentMd5(body),
        }),
        { abortSignal: this.signal },
      )
      .then((out) => {
        if (!out.ETag) throw new Error("UploadPart returned no ETag");
        this.parts[partNumber - 1] = { PartNumber: partNumber, ETag: out.ETag };
        this.spare = full;
      })
      .catch((err) => {
        this.failure = err;
      });
  }

  private async settle(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.inFlight = undefined;
    if (this.failure !== undefined) {
      throw new JobError(
        `upload of part ${this.parts.length + 1} failed: ${describeS3Error(this.failure)}`,
      );
    }
  }

  async complete(): Promise<WriteResult> {
    if (this.filled > 0 || this.parts.length === 0) await this.flush();
    await this.settle();
    const out = await this.client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
        { abortSignal: this.signal },
      )
      .catch((err) => {
        throw new JobError(`completing the upload failed: ${describeS3Error(err)}`);
      });
    return {
      sizeBytes: this.size,
      versionId: out.VersionId ?? null,
      parts: this.parts.length,
      partSizeBytes: this.partSize,
    };
  }

  async abort(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    // Not tied to the job's signal: an abort must go out even when the job was cancelled.
    await this.client.send(
      new AbortMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
      }),
    );
  }
}

export class S3Storage implements Storage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    readonly url: string,
  ) {}

  private fullKey(key: string): string {
    return joinKey(this.prefix, key);
  }

  localFile(): undefined {
    return undefined;
  }

  /**
   * Lists rather than HEADs: a HEAD needs s3:GetObject (the backup role may not read dumps) and
   * answers 403, not 404, for a missing key unless the caller may list the whole bucket.
   */
  async exists(key: string): Promise<boolean> {
    const fullKey = this.fullKey(key);
    const page = await this.client
      .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: fullKey, MaxKeys: 1 }))
      .catch((err) => {
        throw new JobError(`cannot read s3://${this.bucket}/${fullKey}: ${describeS3Error(err)}`);
      });
    // Keys sort by bytes: the key itself comes before any longer key it prefixes.
    return page.Contents?.[0]?.Key === fullKey;
  }

  async createWriter(
    key: string,
    partSizeBytes: number,
    signal: AbortSignal,
  ): Promise<ObjectWriter> {
    const Key = this.fullKey(key);
    const out = await this.client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          ContentType: "application/octet-stream",
        }),
        {
          abortSignal: signal,
        },
      )
      .catch((err) => {
        throw new JobError(
          `cannot start an upload to s3://${this.bucket}/${Key}: ${describeS3Error(err)}`,
        );
      });
    if (!out.UploadId) throw new JobError("CreateMultipartUpload returned no UploadId");
    return new MultipartWriter(this.client, this.bucket, Key, out.UploadId, partSizeBytes, signal);
  }

  async putText(key: string, body: string): Promise<void> {
    const Key = this.fullKey(key);
    await this.client
      .send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: body,
          ContentType: "application/json",
          ContentMD5: contentMd5(body),
        }),
      )
      .catch((err) => {
        throw new JobError(`cannot write s3://${this.bucket}/${Key}: ${describeS3Error(err)}`);
      });
  }

  async readText(key: string): Promise<string> {
    const stream = await this.readStream(key, null);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async readStream(key: string, versionId: string | null, signal?: AbortSignal): Promise<Readable> {
    const Key = this.fullKey(key);
    const out = await this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key, VersionId: versionId ?? undefined }), {
        abortSignal: signal,
      })
      .catch((err) => {
        throw new JobError(`cannot read s3://${this.bucket}/${Key}: ${describeS3Error(err)}`);
      });
    return out.Body as Readable;
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const base = this.prefix ? `${this.prefix}/` : "";
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${base}${prefix}`,
            ContinuationToken: token,
          }),
        )
        .catch((err) => {
          throw new JobError(
            `cannot list s3://${this.bucket}/${base}${prefix}: ${describeS3Error(err)}`,
          );
        });
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        yield {
          key: o.Key.slice(base.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
