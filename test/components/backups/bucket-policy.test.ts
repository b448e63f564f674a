import { strict as assert } from "assert";
import { backupBucketPolicy } from "../../../components/backups/bucket-policy";

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
