// The bootstrap's state bucket: found or created, then brought to versioned, SSE-KMS with the
// secrets key, public access blocked and TLS-only, each setting read before it is written.
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  BootstrapConflict,
  Context,
  SECRETS_ALIAS,
  act,
  nameOf,
  stateBucketName,
  statusOf,
} from "./bootstrap-steps";

/** The bucket's policy: TLS only. */
export function stateBucketPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** The state bucket: versioned, SSE-KMS with the secrets key, public access blocked, TLS-only. */
export async function ensureStateBucket(ctx: Context, keyArn: string): Promise<string> {
  const bucket = stateBucketName(ctx.account, ctx.region);
  const s3 = ctx.clients.s3;
  let exists = true;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (statusOf(err) === 403) {
      throw new BootstrapConflict(
        `bucket ${bucket} exists but this account may not use it: it belongs to someone else`,
      );
    }
    if (statusOf(err) !== 404 && nameOf(err) !== "NotFound") throw err;
    exists = false;
  }
  if (!exists) {
    await act(ctx, `create the state bucket ${bucket}`, () =>
      s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(ctx.region === "us-east-1"
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } }),
        }),
      ),
    );
  }
  const current = exists ? await readBucket(s3, bucket) : undefined;
  if (
    current?.encryptionKey &&
    current.encryptionKey !== keyArn &&
    !keyArn.endsWith(current.encryptionKey)
  ) {
    throw new BootstrapConflict(
      `bucket ${bucket} is encrypted with ${current.encryptionKey}, not ${SECRETS_ALIAS}: remove its default encryption or move the state elsewhere before bootstrapping`,
    );
  }
  const settings: [boolean | undefined, string, () => Promise<unknown>][] = [
    [
      current?.versioned,
      `enable versioning on ${bucket}`,
      () =>
        s3.send(
          new PutBucketVersioningCommand({
            Bucket: bucket,
            VersioningConfiguration: { Status: "Enabled" },
          }),
        ),
    ],
    [
      current?.encryptionKey !== undefined,
      `encrypt ${bucket} with ${SECRETS_ALIAS}`,
      () =>
        s3.send(
          new PutBucketEncryptionCommand({
            Bucket: bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: {
                    SSEAlgorithm: "aws:kms",
                    KMSMasterKeyID: keyArn,
                  },
                  BucketKeyEnabled: true,
                },
              ],
            },
          }),
        ),
    ],
    [
      current?.publicAccessBlocked,
      `block public access to ${bucket}`,
      () =>
        s3.send(
          new PutPublicAccessBlockCommand({
            Bucket: bucket,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          }),
        ),
    ],
    [
      current?.policy === stateBucketPolicy(bucket),
      `require TLS on ${bucket}`,
      () =>
        s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: stateBucketPolicy(bucket) })),
    ],
  ];
  for (const [done, what, change] of settings) {
    if (done) ctx.log(`unchanged: ${what}`);
    else await act(ctx, what, change);
  }
  return bucket;
}

async function readBucket(s3: S3Client, bucket: string) {
  const quiet = <T>(p: Promise<T>) => p.catch(() => undefined);
  const [versioning, encryption, pab, policy] = await Promise.all([
    quiet(s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
  ]);
  const rule =
    encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const c = pab?.PublicAccessBlockConfiguration;
  return {
    versioned: versioning?.Status === "Enabled",
    encryptionKey:
      rule?.SSEAlgorithm === "aws:kms" ? rule.KMSMasterKeyID : rule ? rule.SSEAlgorithm : undefined,
    publicAccessBlocked: !!(
      c?.BlockPublicAcls &&
      c.IgnorePublicAcls &&
      c.BlockPublicPolicy &&
      c.RestrictPublicBuckets
    ),
    policy: policy?.Policy ? JSON.stringify(JSON.parse(policy.Policy)) : undefined,
  };
}
