// The guardrails, as plain policy objects: `policy/index.ts` makes them a CrossGuard pack, the
// tests call each validation directly (a PolicyPack starts a server when constructed).
/* eslint-disable @typescript-eslint/no-explicit-any */
import { containerDefinitionProblems } from "../rules/aws-limits";

/** What a resource validation reads (a subset of @pulumi/policy's ResourceValidationArgs). */
export interface ResourceArgs {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Record<string, any>;
  readonly opts?: { readonly protect?: boolean };
}
export type Report = (message: string, urn?: string) => void;

export interface GuardPolicy {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory";
  readonly validateResource?: (args: ResourceArgs, report: Report) => void;
  readonly validateStack?: (args: { resources: ResourceArgs[] }, report: Report) => void;
}

const json = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);
const statements = (doc: unknown): any[] => [json(doc)?.Statement ?? []].flat();

/** ELB writes access logs only to SSE-S3 buckets, which it cannot version-check either. */
export const isAccessLogBucket = (name: string) => name.includes("-lb-logs");

/** TLS policies of 1.2 and later that listeners may use. */
export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL|^DATABASE_URL$|API_KEY/;
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export const POLICIES: GuardPolicy[] = [
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
  {
    name: "ecs-containers-safe",
    description:
      "Task containers are not privileged, not root, log, carry no credential in plain environment values (ECS.4, ECS.5, ECS.8, ECS.9), and keep health checks within ECS's limits.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:ecs/taskDefinition:TaskDefinition") return;
      const containers = json(props.containerDefinitions) ?? [];
      // RegisterTaskDefinition refuses these; the policy says so at preview instead.
      for (const problem of containerDefinitionProblems(containers)) report(problem);
      for (const c of containers) {
        if (c.privileged) report(`container ${c.name} is privileged`);
        if (c.user !== undefined && /^(0|root)(:|$)/.test(String(c.user)))
          report(`container ${c.name} runs as root`);
        if (!c.logConfiguration?.logDriver) report(`container ${c.name} has no log configuration`);
        for (const e of c.environment ?? []) {
          if (SECRET_NAME.test(e.name))
            report(
              `container ${c.name}: ${e.name} looks like a secret: use secrets (Secrets Manager)`,
            );
          else if (CREDENTIAL_URL.test(e.value))
            report(`container ${c.name}: ${e.name} holds a URL with credentials`);
        }
      }
    },
  },
  {
    name: "secrets-out-of-refresh",
    description:
      "No resource whose refresh reads a secret value (the preview role, which runs every refresh, may not): write values with SecretValue.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      // A SecretVersion's read is GetSecretValue; a SecureString parameter's read is
      // GetParameter with decryption (terraform-provider-aws, secretsmanager/secret_version.go
      // and ssm/parameter.go); the preview role is denied both (components/github/policies.ts).
      if (type === "aws:secretsmanager/secretVersion:SecretVersion")
        report(
          "a SecretVersion's refresh reads the secret's value, which the preview role may not: write the value with SecretValue (components/secret-value.ts)",
        );
      if (type === "aws:ssm/parameter:Parameter" && props.type === "SecureString")
        report(
          "a SecureString parameter's refresh decrypts its value, which the preview role may not: keep the value in Secrets Manager, written with SecretValue",
        );
    },
  },
  {
    name: "ecs-service-rollback",
    description: "Services roll back a failed deployment by themselves.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:ecs/service:Service") return;
      const cb = props.deploymentCircuitBreaker;
      if (!cb?.enable || !cb?.rollback)
        report("the deployment circuit breaker with rollback is off");
    },
  },
  {
    name: "rds-safe",
    description:
      "Databases are encrypted, private, keep 7+ days of automated backups, and a protected one has deletion protection (RDS.2, RDS.3, RDS.8, RDS.11).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props, opts }, report) => {
      if (type !== "aws:rds/instance:Instance") return;
      if (props.storageEncrypted !== true) report("storage is not encrypted");
      if (props.publiclyAccessible === true) report("the instance is publicly accessible");
      if (!(props.backupRetentionPeriod >= 7))
        report(
          `automated backups are kept ${props.backupRetentionPeriod ?? 0} days: keep at least 7`,
        );
      if (opts?.protect && props.deletionProtection !== true)
        report("a protected database must have deletion protection");
    },
  },
  {
    name: "iam-no-star",
    description: "No inline policy allows every action on every resource (IAM.1).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:iam/role:Role") return;
      for (const p of props.inlinePolicies ?? []) {
        for (const s of statements(p.policy)) {
          const all = (v: unknown) => [v].flat().includes("*");
          if (s.Effect === "Allow" && all(s.Action) && all(s.Resource))
            report(`inline policy ${p.name} allows * on *`);
        }
      }
    },
  },
  {
    name: "admin-only-fenced",
    description: "AdministratorAccess goes only to a role fenced off other stacks' resources.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const a of resources.filter(
        (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      )) {
        if (!String(a.props.policyArn).endsWith(":policy/AdministratorAccess")) continue;
        const role = resources.find(
          (r) =>
            r.type === "aws:iam/role:Role" &&
            (r.props.name === a.props.role || r.name === a.props.role),
        );
        const fenced = (role?.props.inlinePolicies ?? []).some((p: any) =>
          statements(p.policy).some(
            (s) => s.Effect === "Deny" && s.Sid === "NoOtherStacksResources",
          ),
        );
        if (!fenced)
          report(`${a.name} grants AdministratorAccess to a role without the stack fence`, a.urn);
      }
    },
  },
  {
    name: "oidc-trust-exact",
    description: "Roles trusted by GitHub's OIDC pin the audience and an exact subject.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:iam/role:Role") return;
      for (const s of statements(props.assumeRolePolicy)) {
        if (!String(s.Principal?.Federated ?? "").includes("token.actions.githubusercontent.com"))
          continue;
        const eq = s.Condition?.StringEquals ?? {};
        if (eq["token.actions.githubusercontent.com:aud"] !== "sts.amazonaws.com")
          report("the OIDC trust does not pin aud to sts.amazonaws.com");
        const subjects = [eq["token.actions.githubusercontent.com:sub"] ?? []].flat();
        if (subjects.length === 0 || subjects.some((v: string) => /[*?]/.test(v)))
          report("the OIDC trust does not pin an exact sub");
        if (Object.keys(s.Condition ?? {}).some((op) => op !== "StringEquals"))
          report("the OIDC trust uses a condition other than StringEquals");
      }
    },
  },
  {
    name: "sg-open-only-web",
    description: "Only 80 and 443 are open to the internet (EC2.18, EC2.19).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") return;
      if (props.cidrIpv4 !== "0.0.0.0/0" && props.cidrIpv6 !== "::/0") return;
      if (![80, 443].includes(props.fromPort) || props.fromPort !== props.toPort) {
        report(
          `ports ${props.fromPort}-${props.toPort} are open to the internet: only 80 and 443 may be`,
        );
      }
    },
  },
  {
    name: "listener-tls",
    description:
      "HTTPS listeners use TLS 1.2 or later; with HTTPS on, HTTP only redirects (ELB.1).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const listeners = resources.filter((r) => r.type === "aws:lb/listener:Listener");
      const https = listeners.filter((l) => l.props.protocol === "HTTPS");
      for (const l of https) {
        if (!TLS_POLICIES.includes(l.props.sslPolicy))
          report(`${l.name} uses ${l.props.sslPolicy}: use a TLS 1.2+ policy`, l.urn);
      }
      for (const l of listeners.filter((x) => x.props.protocol === "HTTP")) {
        const sameLb = https.some((h) => h.props.loadBalancerArn === l.props.loadBalancerArn);
        if (sameLb && l.props.defaultActions?.[0]?.type !== "redirect")
          report(`${l.name} serves HTTP next to HTTPS: redirect it`, l.urn);
      }
    },
  },
];
