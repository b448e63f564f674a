import { strict as assert } from "assert";
import { backupBucketPolicy } from "../../../components/backups/bucket-policy";
import { decide } from "../../support/iam";

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
      DenyAwsManagedKey: "arn:aws:s3:::b/*",
    });
  });

  // IAM evaluates a negated operator (StringNotEquals, with or without IfExists) as true when the
  // key is absent (IAM User Guide, "Condition operators"): an upload without encryption headers,
  // and every UploadPart (which never carries them), must not be denied for it.
  it("by simulation: uploads without headers (the bucket default) or naming the key pass; anything else is denied", async () => {
    const allowAll = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    };
    const put = (headers: Record<string, string>) =>
      decide(
        [allowAll],
        "s3:PutObject",
        "arn:aws:s3:::b/backups/x.dump",
        {
          "aws:SecureTransport": "true",
          "s3:TlsVersion": "1.3",
          ...headers,
        },
        policy,
      );
    const sse = "s3:x-amz-server-side-encryption";
    const keyId = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    assert.equal(await put({}), "Allowed", "no headers: the bucket's default encryption applies");
    assert.equal(
      await put({ [sse]: "aws:kms", [keyId]: "arn:aws:kms:sa-east-1:1:key/k" }),
      "Allowed",
    );
    assert.equal(await put({ [sse]: "AES256" }), "ExplicitlyDenied");
    assert.equal(
      await put({ [sse]: "aws:kms", [keyId]: "arn:aws:kms:sa-east-1:1:key/other" }),
      "ExplicitlyDenied",
    );
    assert.equal(
      await put({ [sse]: "aws:kms" }),
      "ExplicitlyDenied",
      "aws/s3, not the bucket's key",
    );
  });
});
