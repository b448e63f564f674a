import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnParts, policyDocument, PolicyDocument } from "../iam";

/**
 * Elastic Load Balancing's log-writing account in the regions opened before August 2022; newer
 * regions use the logdelivery.elasticloadbalancing.amazonaws.com service principal instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** The bucket policy: TLS only; the region's load balancer log writer may put objects under prefix/AWSLogs/<account>/. */
export function accessLogBucketPolicy(
  bucketArn: string,
  prefix: string,
  account: string,
  region: string,
): PolicyDocument {
  const legacy = ELB_LOG_ACCOUNTS[region];
  const writer: Record<string, string> = legacy
    ? { AWS: `arn:aws:iam::${legacy}:root` }
    : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
  return policyDocument(
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "LoadBalancerWritesLogs",
      Effect: "Allow",
      Principal: writer,
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${prefix}/AWSLogs/${account}/*`,
    },
  );
}

export interface AccessLogBucketArgs {
  readonly region: string;
  /** Any ARN of the stack's account (its cluster's), to scope the writer to this account. */
  readonly accountArn: pulumi.Input<string>;
  /** Days log objects are kept. */
  readonly retentionDays: number;
  readonly prefix: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Where the load balancer writes access logs: private, SSE-S3 (the only encryption ELB log
 * delivery supports), TLS-only, expiring after `retentionDays`.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly prefix: string;
  /** The policy: the load balancer must be created after it, or log delivery is refused. */
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:web:AccessLogBucket", name, {}, opts);
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(name, { forceDestroy: true, tags: args.tags ?? {} }, parent);
    new aws.s3.BucketPublicAccessBlock(
      name,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      name,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: { prefix: `${args.prefix}/` },
            expiration: { days: args.retentionDays },
          },
        ],
      },
      parent,
    );
    this.policy = new aws.s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, args.accountArn])
          .apply(([arn, accountArn]) =>
            JSON.stringify(
              accessLogBucketPolicy(arn, args.prefix, arnParts(accountArn).account, args.region),
            ),
          ),
      },
      parent,
    );
    this.bucketName = bucket.bucket;
    this.prefix = args.prefix;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
