// The committed stack files, read as the CLI reads them, through the real config code and the
// whole program under mocks: a typo in a stack file fails here, not in a deploy.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { settle } from "./mocks";
import { useProgram } from "./support/program";
import { committedStacks, readYaml } from "./support/stack-files";
import { CONFIG_KEYS, SECRET_KEYS } from "../config/schema";
import {
  renderProjectFile,
  renderReference,
  PROJECT_FILE,
  README_FILE,
} from "../scripts/config-reference";

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

describe("committed stacks", () => {
  const { mocks, run } = useProgram();

  it("has a staging and a production stack file", () => {
    assert.deepEqual(committedStacks(), ["production", "staging"]);
  });

  for (const stack of committedStacks()) {
    it(`${stack}: runs the whole program under mocks`, async () => {
      const outputs = await run(stack);
      assert.deepEqual(Object.keys(outputs).sort(), [
        "alarmTopicArn",
        "backupBucketArn",
        "backupBucketName",
        "backupFreshnessWindowHours",
        "backupKmsKeyArn",
        "backupPrefix",
        "backupRpoHours",
        "clusterName",
        "databaseAddress",
        "loadBalancerDnsName",
        "region",
        "rolloutSeconds",
        "runBackupCommand",
        "runDrillCommand",
        "services",
        "url",
        "vpcId",
      ]);
      assert.ok(mocks.named(BUCKET, `gad-${stack}-backups`));
    });

    it(`${stack}: commits no secret in plain text`, () => {
      const file = readYaml(`Pulumi.${stack}.yaml`) as { config: Record<string, unknown> };
      for (const key of Object.keys(SECRET_KEYS)) {
        const value = file.config[`gad:${key}`];
        assert.ok(
          value === undefined || (typeof value === "object" && value !== null && "secure" in value),
          key,
        );
      }
    });
  }

  it("production: one protected backup bucket with versioning, SSE-KMS, private, TLS-only, retention and Object Lock", async () => {
    await run("production");
    const bucket = mocks.named(BUCKET, "gad-production-backups");
    assert.deepEqual([bucket.protect, bucket.retainOnDelete], [true, true]);
    const key = mocks.named("aws:kms/key:Key", "gad-production-backups-key");
    assert.deepEqual([key.protect, key.retainOnDelete], [true, true]);
    assert.equal(
      mocks.named("aws:s3/bucketVersioning:BucketVersioning", "gad-production-backups-versioning")
        .inputs.versioningConfiguration.status,
      "Enabled",
    );
    const [sse] = mocks.named(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "gad-production-backups-encryption",
    ).inputs.rules;
    assert.deepEqual(
      [sse.applyServerSideEncryptionByDefault.sseAlgorithm, sse.bucketKeyEnabled],
      ["aws:kms", true],
    );
    const pab = mocks.named(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "gad-production-backups-public-access",
    ).inputs;
    assert.ok(
      pab.blockPublicAcls &&
        pab.blockPublicPolicy &&
        pab.ignorePublicAcls &&
        pab.restrictPublicBuckets,
    );
    const policy = JSON.parse(
      mocks.named("aws:s3/bucketPolicy:BucketPolicy", "gad-production-backups-policy").inputs
        .policy,
    );
    assert.ok(
      policy.Statement.some(
        (s: { Effect: string; Condition?: { Bool?: Record<string, string> } }) =>
          s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false",
      ),
    );
    const [retention, hygiene] = mocks.named(LIFECYCLE, "gad-production-backups-lifecycle").inputs
      .rules;
    assert.deepEqual(retention.expiration, { days: 30 });
    assert.deepEqual(hygiene.abortIncompleteMultipartUpload, { daysAfterInitiation: 1 });
    const lock = mocks.one(
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    ).inputs;
    assert.deepEqual(lock.rule.defaultRetention, { mode: "GOVERNANCE", days: 30 });
  });

  it("staging: follows its own stack file (shorter retention, no lock, unprotected)", async () => {
    await run("staging");
    const bucket = mocks.named(BUCKET, "gad-staging-backups");
    assert.deepEqual([bucket.protect, bucket.retainOnDelete], [false, false]);
    assert.deepEqual(
      mocks.named(LIFECYCLE, "gad-staging-backups-lifecycle").inputs.rules[0].expiration,
      {
        days: 14,
      },
    );
    assert.equal(
      mocks.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").length,
      0,
    );
  });

  it("a stack file with an unknown key, a wrong type and an out-of-range value fails once, naming all three", async () => {
    await assert.rejects(
      run("production", {
        "gad:backup.retentionDay": 30,
        "gad:protectStatefulResources": "sometimes",
        "gad:backup.kmsKeyDeletionWindowDays": 90,
      }),
      (err: unknown) => {
        assert.ok(err instanceof pulumi.RunError);
        assert.match(err.message, /has 3 problems/);
        assert.match(
          err.message,
          /gad:backup.retentionDay: unknown key; did you mean gad:backup.retentionDays\?/,
        );
        assert.match(
          err.message,
          /gad:protectStatefulResources: must be true or false \(got "sometimes"\)/,
        );
        assert.match(
          err.message,
          /gad:backup.kmsKeyDeletionWindowDays: must be an integer <= 30 \(got 90\)/,
        );
        return true;
      },
    );
    await settle();
    assert.equal(mocks.ofType(BUCKET).length, 0, "nothing is created from a bad configuration");
  });

  it("Pulumi.yaml declares exactly the schema's keys, types and defaults", () => {
    const project = readYaml("Pulumi.yaml") as {
      name: string;
      config: Record<string, { type: string; default: unknown; description: string }>;
    };
    assert.equal(project.name, "gad");
    // Pulumi.yaml types scalars and lists only; object keys (services) are documented in README.
    const declared = Object.entries(CONFIG_KEYS).filter(([, spec]) => spec.type !== "object");
    assert.deepEqual(Object.keys(project.config).sort(), declared.map(([key]) => key).sort());
    for (const [key, spec] of declared) {
      assert.equal(project.config[key].type, spec.type, key);
      assert.deepEqual(project.config[key].default, spec.default, key);
      assert.ok(project.config[key].description.length > 10, key);
    }
    assert.equal(
      fs.readFileSync(PROJECT_FILE, "utf8"),
      renderProjectFile(),
      "run npm run docs:config",
    );
  });

  it("README's configuration reference is current", () => {
    assert.ok(
      fs.readFileSync(README_FILE, "utf8").includes(renderReference()),
      "run npm run docs:config",
    );
  });
});
