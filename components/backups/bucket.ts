import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_BACKUP_GLACIER_STORAGE_CLASS,
  DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS,
  DEFAULT_BACKUP_PREFIX,
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
  DEFAULT_PROTECT_STATEFUL_RESOURCES,
} from "../../rules/defaults";
import { checkKeyPrefix } from "../../rules/names";
import type { GlacierStorageClass, ObjectLockMode } from "../../rules/types";
import { backupBucketPolicy } from "./bucket-policy";
import { checkRetention } from "../../rules/retention";
import { lifecycleRules } from "./lifecycle";

export interface BackupObjectLockArgs {
  /** GOVERNANCE (removable with s3:BypassGovernanceRetention) or COMPLIANCE (removable by nobody). */
  readonly mode: ObjectLockMode;
  /** Default retention of each new object version, in days; at most `retentionDays`. */
  readonly days: number;
}

export interface BackupBucketArgs {
  /**
   * Days a backup is kept before lifecycle expiration.
   * @default DEFAULT_BACKUP_RETENTION_DAYS (30)
   */
  readonly retentionDays?: number;
  /**
   * Key prefix of the backups; retention applies under `<prefix>/`.
   * @default DEFAULT_BACKUP_PREFIX ("backups")
   */
  readonly prefix?: string;
  /**
   * Days after which backups move to STANDARD_IA (>= 30).
   * @default undefined (no transition)
   */
  readonly transitionToInfrequentAccessDays?: number;
  /**
   * Days after which backups move to `glacierStorageClass`.
   * @default undefined (no transition)
   */
  readonly transitionToGlacierDays?: number;
  /**
   * Archive class of the Glacier transition.
   * @default DEFAULT_BACKUP_GLACIER_STORAGE_CLASS ("GLACIER_IR")
   */
  readonly glacierStorageClass?: GlacierStorageClass;
  /**
   * Days a noncurrent object version is kept.
   * @default DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS (7)
   */
  readonly noncurrentVersionDays?: number;
  /**
   * S3 Object Lock default retention. Enabling it is one-way: S3 cannot turn it off again.
   * @default undefined (no Object Lock)
   */
  readonly objectLock?: BackupObjectLockArgs;
  /**
   * Waiting period before a deleted KMS key is destroyed (7-30).
   * @default DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS (30)
   */
  readonly kmsKeyDeletionWindowDays?: number;
  /**
   * Protect the bucket and its key from deletion (`protect` and `retainOnDelete`); the bucket's
   * settings are retained on delete too, so a destroy never strips its protections.
   * @default DEFAULT_PROTECT_STATEFUL_RESOURCES (false)
   */
  readonly protect?: boolean;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Record<string, string>;
  // Cross-region replication will be an optional `replication` argument; versioning and a
  // customer-managed key, both prerequisites of replicating SSE-KMS objects, are already here.
}

/**
 * The S3 bucket that holds database backups: SSE-KMS with a bucket key and its own rotating
 * key, versioned, private, TLS-only, with lifecycle retention and optional Object Lock.
 */
export class BackupBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly key: aws.kms.Key;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Prefix (without trailing slash) under which backups are written. */
  public readonly backupPrefix: string;

  constructor(name: string, args: BackupBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("gad:backup:BackupBucket", name, {}, opts);

    const retentionDays = args.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const prefix = args.prefix ?? DEFAULT_BACKUP_PREFIX;
    const deletionWindow = args.kmsKeyDeletionWindowDays ?? DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS;
    const protect = args.protect ?? DEFAULT_PROTECT_STATEFUL_RESOURCES;
    const noncurrentVersionDays =
      args.noncurrentVersionDays ?? DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS;
    const retention = {
      retentionDays,
      transitionToInfrequentAccessDays: args.transitionToInfrequentAccessDays,
      transitionToGlacierDays: args.transitionToGlacierDays,
      objectLockDays: args.objectLock?.days,
    };

    const problems = checkRetention(retention).map((p) => `${p.field} ${p.rule} (got ${p.got})`);
    const prefixProblem = checkKeyPrefix(prefix);
    if (prefixProblem) problems.push(`prefix ${prefixProblem} (got ${JSON.stringify(prefix)})`);
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      problems.push(
        `kmsKeyDeletionWindowDays must be an integer from 7 to 30 (got ${deletionWindow})`,
      );
    }
    if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 1) {
      problems.push(`noncurrentVersionDays must be an integer >= 1 (got ${noncurrentVersionDays})`);
    }
    if (args.objectLock && !["GOVERNANCE", "COMPLIANCE"].includes(args.objectLock.mode)) {
      problems.push(
        `objectLock.mode must be GOVERNANCE or COMPLIANCE (got ${JSON.stringify(args.objectLock.mode)})`,
      );
    }
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`BackupBucket ${name}: ${problems.join("; ")}`, this, true);
    }

    const tags = args.tags ?? {};
    const stateful = { parent: this, protect, retainOnDelete: protect };
    // Settings of a retained bucket stay with it, whoever deletes the stack.
    const setting = { parent: this, retainOnDelete: protect };

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the database backups in ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: deletionWindow,
        tags,
      },
      stateful,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { namePrefix: `alias/${name}-`, targetKeyId: this.key.keyId },
      { parent: this },
    );

    this.bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags }, stateful);
    const bucket = this.bucket.id;

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      setting,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      setting,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: this.key.arn,
            },
            bucketKeyEnabled: true,
            blockedEncryptionTypes: ["SSE-C"],
          },
        ],
      },
      setting,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      setting,
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi
          .all([this.bucket.arn, this.key.arn])
          .apply(([bucketArn, keyArn]) => JSON.stringify(backupBucketPolicy(bucketArn, keyArn))),
      },
      // A policy is refused while Block Public Access is being changed; order them.
      { ...setting, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: lifecycleRules({
          ...retention,
          prefix,
          glacierStorageClass: args.glacierStorageClass ?? DEFAULT_BACKUP_GLACIER_STORAGE_CLASS,
          noncurrentVersionDays,
        }),
      },
      { ...setting, dependsOn: [versioning] },
    );
    if (args.objectLock) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        {
          bucket,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
        },
        { ...setting, dependsOn: [versioning] },
      );
    }

    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.kmsKeyArn = this.key.arn;
    this.backupPrefix = prefix;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
      backupPrefix: this.backupPrefix,
    });
  }
}
