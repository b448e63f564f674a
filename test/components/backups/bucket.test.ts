import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, installMocks, settle, valueOf } from "../../mocks";
import type * as BackupBucketModule from "../../../components/backups/bucket";

const S3 = "aws:s3";
const KEY_ARN = "arn:aws:kms:sa-east-1:123456789012:key/b-key-key-id";

describe("BackupBucket", () => {
  const mocks = new RecordingMocks();
  let mod: typeof BackupBucketModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/backups/bucket");
  });
  beforeEach(() => mocks.reset());

  async function build(args: BackupBucketModule.BackupBucketArgs = {}) {
    const component = new mod.BackupBucket("b", args);
    await settle();
    return component;
  }

  it("creates exactly the bucket, its key and its settings, all parented to the component", async () => {
    await build();
    assert.deepEqual(mocks.resources.map((r) => r.type).sort(), [
      "aws:kms/alias:Alias",
      "aws:kms/key:Key",
      `${S3}/bucket:Bucket`,
      `${S3}/bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
      `${S3}/bucketOwnershipControls:BucketOwnershipControls`,
      `${S3}/bucketPolicy:BucketPolicy`,
      `${S3}/bucketPublicAccessBlock:BucketPublicAccessBlock`,
      `${S3}/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
      `${S3}/bucketVersioning:BucketVersioning`,
      "gad:backup:BackupBucket",
    ]);
    for (const r of mocks.resources.filter((r) => r.type !== "gad:backup:BackupBucket")) {
      assert.match(
        r.parent,
        /gad:backup:BackupBucket::b$/,
        `${r.name} is not a child of the component`,
      );
    }
  });

  it("encrypts with its own rotating KMS key and a bucket key, and blocks SSE-C", async () => {
    await build({ kmsKeyDeletionWindowDays: 14 });
    const key = mocks.one("aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(key.inputs.deletionWindowInDays, 14);
    assert.deepEqual(
      mocks.one(
        `${S3}/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
      ).inputs.rules,
      [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
          bucketKeyEnabled: true,
          blockedEncryptionTypes: ["SSE-C"],
        },
      ],
    );
    assert.equal(mocks.one("aws:kms/alias:Alias").inputs.namePrefix, "alias/b-");
  });

  it("is versioned, fully private, and owner-enforced", async () => {
    await build();
    assert.deepEqual(
      mocks.one(`${S3}/bucketVersioning:BucketVersioning`).inputs.versioningConfiguration,
      { status: "Enabled" },
    );
    const pab = mocks.one(`${S3}/bucketPublicAccessBlock:BucketPublicAccessBlock`).inputs;
    assert.deepEqual(
      {
        a: pab.blockPublicAcls,
        b: pab.blockPublicPolicy,
        c: pab.ignorePublicAcls,
        d: pab.restrictPublicBuckets,
      },
      { a: true, b: true, c: true, d: true },
    );
    assert.deepEqual(
      mocks.one(`${S3}/bucketOwnershipControls:BucketOwnershipControls`).inputs.rule,
      {
        objectOwnership: "BucketOwnerEnforced",
      },
    );
    assert.equal(mocks.one(`${S3}/bucket:Bucket`).inputs.forceDestroy, false);
  });

  it("has a policy that denies non-TLS requests and writes with another key", async () => {
    await build();
    const policy = JSON.parse(mocks.one(`${S3}/bucketPolicy:BucketPolicy`).inputs.policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    assert.deepEqual(bySid.DenyInsecureTransport, {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b-a1b2c3d", "arn:aws:s3:::b-a1b2c3d/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    assert.deepEqual(bySid.DenyOtherKmsKeys.Condition, {
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN },
    });
    assert.equal(bySid.DenyOtherKmsKeys.Action, "s3:PutObject");
    assert.deepEqual(bySid.DenyEncryptionOtherThanKms.Condition, {
      Null: { "s3:x-amz-server-side-encryption": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
    });
    assert.deepEqual(bySid.DenyOutdatedTls.Condition, {
      NumericLessThan: { "s3:TlsVersion": "1.2" },
    });
  });

  it("expires backups after the retention, keeps noncurrent versions briefly, cleans up uploads and markers", async () => {
    await build({ retentionDays: 45, prefix: "db", noncurrentVersionDays: 5 });
    assert.deepEqual(
      mocks.one(`${S3}/bucketLifecycleConfiguration:BucketLifecycleConfiguration`).inputs.rules,
      [
        {
          id: "backup-retention",
          status: "Enabled",
          filter: { prefix: "db/" },
          expiration: { days: 45 },
          noncurrentVersionExpiration: { noncurrentDays: 5 },
        },
        {
          id: "bucket-hygiene",
          status: "Enabled",
          // Every object: an explicit empty prefix (an empty filter is deprecated by the provider).
          filter: { prefix: "" },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    );
  });

  it("adds the transitions in order when they are set", async () => {
    await build({
      retentionDays: 365,
      transitionToInfrequentAccessDays: 30,
      transitionToGlacierDays: 90,
      glacierStorageClass: "DEEP_ARCHIVE",
    });
    const [retention] = mocks.one(`${S3}/bucketLifecycleConfiguration:BucketLifecycleConfiguration`)
      .inputs.rules;
    assert.deepEqual(retention.transitions, [
      { days: 30, storageClass: "STANDARD_IA" },
      { days: 90, storageClass: "DEEP_ARCHIVE" },
    ]);
  });

  it("configures Object Lock only when asked, with the given mode and days", async () => {
    await build();
    assert.equal(
      mocks.ofType(`${S3}/bucketObjectLockConfiguration:BucketObjectLockConfiguration`).length,
      0,
    );
    mocks.reset();
    await build({ retentionDays: 30, objectLock: { mode: "COMPLIANCE", days: 30 } });
    const lock = mocks.one(
      `${S3}/bucketObjectLockConfiguration:BucketObjectLockConfiguration`,
    ).inputs;
    assert.equal(lock.objectLockEnabled, "Enabled");
    assert.deepEqual(lock.rule, { defaultRetention: { mode: "COMPLIANCE", days: 30 } });
    assert.equal(
      mocks.one(`${S3}/bucket:Bucket`).inputs.objectLockEnabled,
      undefined,
      "set on the bucket it would force a replacement",
    );
  });

  it("protects and retains the bucket and key when protect is set", async () => {
    await build({ protect: true });
    for (const type of [`${S3}/bucket:Bucket`, "aws:kms/key:Key"]) {
      const r = mocks.one(type);
      assert.deepEqual([r.protect, r.retainOnDelete], [true, true], type);
    }
    for (const type of [
      `${S3}/bucketPolicy:BucketPolicy`,
      `${S3}/bucketPublicAccessBlock:BucketPublicAccessBlock`,
    ]) {
      assert.equal(mocks.one(type).retainOnDelete, true, `${type} would be stripped by a destroy`);
    }
  });

  it("leaves everything unprotected by default", async () => {
    await build();
    assert.ok(mocks.resources.every((r) => !r.protect && !r.retainOnDelete));
  });

  it("exports the bucket name and ARN, the key ARN and the prefix", async () => {
    const b = await build({ prefix: "pg" });
    assert.equal(await valueOf(b.bucketName), "b-a1b2c3d");
    assert.equal(await valueOf(b.bucketArn), "arn:aws:s3:::b-a1b2c3d");
    assert.equal(await valueOf(b.kmsKeyArn), KEY_ARN);
    assert.equal(b.backupPrefix, "pg");
  });

  const invalid: [BackupBucketModule.BackupBucketArgs, RegExp][] = [
    [{ retentionDays: 0 }, /retentionDays must be an integer >= 1 \(got 0\)/],
    [
      { retentionDays: 30, objectLock: { mode: "GOVERNANCE", days: 31 } },
      /objectLockDays must not exceed retentionDays \(30\)/,
    ],
    [
      { objectLock: { mode: "governance" as "GOVERNANCE", days: 7 } },
      /objectLock.mode must be GOVERNANCE or COMPLIANCE/,
    ],
    [
      { transitionToInfrequentAccessDays: 7 },
      /transitionToInfrequentAccessDays must be at least 30/,
    ],
    [
      { retentionDays: 200, transitionToInfrequentAccessDays: 30, transitionToGlacierDays: 40 },
      /transitionToGlacierDays must be at least 30 days after/,
    ],
    [{ prefix: "backups/" }, /prefix must be an S3 key prefix/],
    [
      { kmsKeyDeletionWindowDays: 60 },
      /kmsKeyDeletionWindowDays must be an integer from 7 to 30 \(got 60\)/,
    ],
  ];
  for (const [args, message] of invalid) {
    it(`refuses ${JSON.stringify(args)} before creating anything`, async () => {
      assert.throws(
        () => new mod.BackupBucket("bad", args),
        (err: unknown) =>
          err instanceof pulumi.ResourceError &&
          message.test(err.message) &&
          /BackupBucket bad:/.test(err.message),
      );
      await settle();
      assert.equal(mocks.resources.filter((r) => r.type !== "gad:backup:BackupBucket").length, 0);
    });
  }
});
