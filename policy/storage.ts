// Guardrails on storage: the backup buckets' public access, encryption, TLS, versioning,
// lifecycle and Object Lock.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { GuardPolicy, statements } from "./guard";

/** ELB writes access logs only to SSE-S3 buckets, which it cannot version-check either. */
export const isAccessLogBucket = (name: string) => name.includes("-lb-logs");

export const STORAGE_POLICIES: GuardPolicy[] = [
  {
    name: "s3-block-public-access",
    description: "S3 buckets block every form of public access (S3.1, S3.8).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock") return;
      const missing = [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
      ].filter((k) => props[k] !== true);
      if (missing.length > 0)
        report(`public access is not fully blocked: ${missing.join(", ")} must be true`);
    },
  },
  {
    name: "s3-encryption-kms",
    description:
      "S3 buckets encrypt with SSE-KMS; only a load balancer's access-log bucket may use SSE-S3 (S3.17).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, name, props }, report) => {
      if (
        type !==
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
      )
        return;
      const algorithm = props.rules?.[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm;
      const allowed = isAccessLogBucket(name) ? ["aws:kms", "AES256"] : ["aws:kms"];
      if (!allowed.includes(algorithm))
        report(`encrypts with ${algorithm ?? "nothing"}: use aws:kms with the bucket's key`);
    },
  },
  {
    name: "s3-tls-only",
    description: "S3 bucket policies deny requests that are not TLS (S3.5).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:s3/bucketPolicy:BucketPolicy") return;
      const denies = statements(props.policy).some(
        (s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false",
      );
      if (!denies) report("the bucket policy does not deny aws:SecureTransport false");
    },
  },
  {
    name: "s3-versioned-with-lifecycle",
    description:
      "Every S3 bucket has lifecycle rules, and is versioned unless it holds load balancer access logs (S3.14, S3.13).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const settings = (type: string) =>
        resources.filter((r) => r.type === type).map((r) => r.props.bucket);
      const versioned = resources
        .filter(
          (r) =>
            r.type === "aws:s3/bucketVersioning:BucketVersioning" &&
            r.props.versioningConfiguration?.status === "Enabled",
        )
        .map((r) => r.props.bucket);
      const lifecycle = settings(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      );
      for (const b of resources.filter((r) => r.type === "aws:s3/bucket:Bucket")) {
        const id = b.props.bucket;
        if (!lifecycle.includes(id)) report(`bucket ${b.name} has no lifecycle rules`, b.urn);
        if (!isAccessLogBucket(b.name) && !versioned.includes(id))
          report(`bucket ${b.name} is not versioned`, b.urn);
      }
    },
  },
  {
    name: "object-lock-within-retention",
    description:
      "Object Lock never outlasts the bucket's expiration (a locked backup could not expire).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const lock of resources.filter(
        (r) => r.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      )) {
        const days = lock.props.rule?.defaultRetention?.days;
        const lifecycle = resources.find(
          (r) =>
            r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" &&
            r.props.bucket === lock.props.bucket,
        );
        const expirations = (lifecycle?.props.rules ?? [])
          .map((rule: any) => rule.expiration?.days)
          .filter((d: unknown) => typeof d === "number");
        if (expirations.length === 0)
          report(`${lock.name}: Object Lock without an expiration to bound it`, lock.urn);
        else if (days > Math.min(...expirations)) {
          report(
            `${lock.name}: Object Lock of ${days} days outlasts the ${Math.min(...expirations)}-day expiration`,
            lock.urn,
          );
        }
      }
    },
  },
];
