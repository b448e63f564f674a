import type { PolicyDocument, PolicyStatement } from "../iam";

/** Oldest TLS version the bucket accepts. */
export const MIN_TLS_VERSION = "1.2";

/**
 * The backup bucket's policy: deny every request that is not TLS (1.2 or later), and every
 * write that would encrypt with anything but the bucket's own KMS key. Writers either omit the
 * encryption headers (the bucket default applies) or name the key by its ARN.
 *
 * A negated operator (StringNotEquals, and the IfExists forms) is true when the request lacks the
 * key (IAM User Guide, "IAM JSON policy elements: Condition operators"), so each denial also
 * requires its header to be present (Null false): otherwise every upload without headers, and
 * every UploadPart (which never carries them), would be denied.
 */
export function backupBucketPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  const everything = [bucketArn, `${bucketArn}/*`];
  const objects = `${bucketArn}/*`;
  const denyUpload = (
    Sid: string,
    Condition: Record<string, Record<string, string>>,
  ): PolicyStatement => ({
    Sid,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: objects,
    Condition,
  });
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOutdatedTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: everything,
        Condition: { NumericLessThan: { "s3:TlsVersion": MIN_TLS_VERSION } },
      },
      denyUpload("DenyEncryptionOtherThanKms", {
        Null: { "s3:x-amz-server-side-encryption": "false" },
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
      }),
      denyUpload("DenyOtherKmsKeys", {
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
      }),
      // SSE-KMS without a key ID encrypts with the AWS managed key aws/s3 (PutObject, S3 API
      // Reference), not the bucket's.
      denyUpload("DenyAwsManagedKey", {
        StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
      }),
    ],
  };
}
