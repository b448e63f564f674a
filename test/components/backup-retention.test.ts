import { strict as assert } from "assert";
import { checkRetention, lifecycleRules } from "../../components/backup-retention";
import { backupBucketPolicy } from "../../components/backup-bucket-policy";

describe("backup retention rules", () => {
  it("accepts a plain retention and a full tiering ladder", () => {
    assert.deepEqual(checkRetention({ retentionDays: 30 }), []);
    assert.deepEqual(
      checkRetention({
        retentionDays: 400,
        transitionToInfrequentAccessDays: 30,
        transitionToGlacierDays: 60,
        objectLockDays: 400,
      }),
      [],
    );
  });

  it("names fields the way the caller asks", () => {
    const [problem] = checkRetention(
      { retentionDays: 10, objectLockDays: 11 },
      (f) => `backup.${f}`,
    );
    assert.deepEqual(problem, {
      field: "objectLockDays",
      rule: "must not exceed backup.retentionDays (10): locked backups could not expire",
      got: 11,
    });
  });

  it("reports every broken relation, not just the first", () => {
    const fields = checkRetention({
      retentionDays: 40,
      transitionToInfrequentAccessDays: 20,
      transitionToGlacierDays: 45,
      objectLockDays: 0,
    }).map((p) => p.field);
    assert.deepEqual(fields, [
      "transitionToInfrequentAccessDays",
      "transitionToGlacierDays",
      "transitionToGlacierDays",
      "objectLockDays",
    ]);
  });

  it("omits transitions when none are set", () => {
    const [retention] = lifecycleRules({
      retentionDays: 30,
      prefix: "backups",
      glacierStorageClass: "GLACIER_IR",
      noncurrentVersionDays: 7,
    });
    assert.equal("transitions" in retention, false);
    assert.deepEqual(retention.filter, { prefix: "backups/" });
  });
});

describe("backup bucket policy", () => {
  const policy = backupBucketPolicy("arn:aws:s3:::b", "arn:aws:kms:sa-east-1:1:key/k");

  it("only denies: it grants nothing to anybody", () => {
    assert.ok(policy.Statement.every((s) => s.Effect === "Deny"));
  });

  it("covers the bucket and its objects for transport rules, objects for write rules", () => {
    const sids = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s.Resource]));
    assert.deepEqual(sids, {
      DenyInsecureTransport: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      DenyOutdatedTls: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      DenyEncryptionOtherThanKms: "arn:aws:s3:::b/*",
      DenyOtherKmsKeys: "arn:aws:s3:::b/*",
    });
  });
});
