// Each guardrail against one resource that passes and one that fails, called directly; then both
// committed stacks, synthesized under mocks, against every guardrail.
import { strict as assert } from "assert";
import { GuardPolicy, POLICIES, ResourceArgs } from "../../policy/policies";
import { useProgram } from "../support/program";
import { committedStacks } from "../support/stack-files";
import type { RecordedResource } from "../mocks";

const policy = (name: string): GuardPolicy => {
  const found = POLICIES.find((p) => p.name === name);
  assert.ok(found, `no policy ${name}`);
  return found;
};

/** The violations `name` reports for one resource (or, for a stack policy, these resources). */
function violations(name: string, ...resources: ResourceArgs[]): string[] {
  const found: string[] = [];
  const p = policy(name);
  if (p.validateResource) for (const r of resources) p.validateResource(r, (m) => found.push(m));
  else p.validateStack?.({ resources }, (m) => found.push(m));
  return found;
}

const r = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  protect = false,
): ResourceArgs => ({
  type,
  name,
  urn: `urn:pulumi:test::gad::${type}::${name}`,
  props,
  opts: { protect },
});

const T = {
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  role: "aws:iam/role:Role",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  listener: "aws:lb/listener:Listener",
};

describe("guardrails (policy pack)", () => {
  it("every policy is mandatory, named and described", () => {
    assert.ok(POLICIES.length >= 12);
    for (const p of POLICIES) {
      assert.equal(p.enforcementLevel, "mandatory", p.name);
      assert.ok(p.description.length > 20, p.name);
      assert.ok(p.validateResource || p.validateStack, p.name);
    }
  });

  it("s3-block-public-access", () => {
    const all = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    assert.deepEqual(violations("s3-block-public-access", r(T.pab, "b", all)), []);
    assert.deepEqual(
      violations("s3-block-public-access", r(T.pab, "b", { ...all, restrictPublicBuckets: false })),
      ["public access is not fully blocked: restrictPublicBuckets must be true"],
    );
  });

  it("s3-encryption-kms (SSE-S3 only for load balancer logs)", () => {
    const sse = (algorithm: string) => ({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }],
    });
    assert.deepEqual(
      violations("s3-encryption-kms", r(T.sse, "gad-backups-encryption", sse("aws:kms"))),
      [],
    );
    assert.deepEqual(violations("s3-encryption-kms", r(T.sse, "gad-lb-logs", sse("AES256"))), []);
    assert.deepEqual(
      violations("s3-encryption-kms", r(T.sse, "gad-backups-encryption", sse("AES256"))),
      ["encrypts with AES256: use aws:kms with the bucket's key"],
    );
  });

  it("s3-tls-only", () => {
    const deny = {
      Statement: [{ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    };
    assert.deepEqual(
      violations(
        "s3-tls-only",
        r("aws:s3/bucketPolicy:BucketPolicy", "p", { policy: JSON.stringify(deny) }),
      ),
      [],
    );
    assert.equal(
      violations(
        "s3-tls-only",
        r("aws:s3/bucketPolicy:BucketPolicy", "p", { policy: '{"Statement":[]}' }),
      ).length,
      1,
    );
  });

  it("s3-versioned-with-lifecycle", () => {
    const bucket = r(T.bucket, "gad-backups", { bucket: "gad-backups-x" });
    const versioning = r(T.versioning, "v", {
      bucket: "gad-backups-x",
      versioningConfiguration: { status: "Enabled" },
    });
    const lifecycle = r(T.lifecycle, "l", { bucket: "gad-backups-x", rules: [] });
    assert.deepEqual(violations("s3-versioned-with-lifecycle", bucket, versioning, lifecycle), []);
    assert.deepEqual(violations("s3-versioned-with-lifecycle", bucket), [
      "bucket gad-backups has no lifecycle rules",
      "bucket gad-backups is not versioned",
    ]);
  });

  it("object-lock-within-retention", () => {
    const lock = (days: number) =>
      r(T.lock, "lock", { bucket: "b", rule: { defaultRetention: { mode: "GOVERNANCE", days } } });
    const lifecycle = r(T.lifecycle, "l", { bucket: "b", rules: [{ expiration: { days: 30 } }] });
    assert.deepEqual(violations("object-lock-within-retention", lock(30), lifecycle), []);
    assert.deepEqual(violations("object-lock-within-retention", lock(45), lifecycle), [
      "lock: Object Lock of 45 days outlasts the 30-day expiration",
    ]);
  });

  it("ecs-containers-safe", () => {
    const task = (container: Record<string, unknown>) =>
      r(T.task, "t", {
        containerDefinitions: JSON.stringify([
          { name: "api", logConfiguration: { logDriver: "awslogs" }, ...container },
        ]),
      });
    assert.deepEqual(
      violations(
        "ecs-containers-safe",
        task({ user: "10001:10001", environment: [{ name: "LOG_LEVEL", value: "info" }] }),
      ),
      [],
    );
    assert.deepEqual(
      violations(
        "ecs-containers-safe",
        task({
          privileged: true,
          user: "0",
          logConfiguration: undefined,
          environment: [
            { name: "DB_PASSWORD", value: "x" },
            { name: "UPSTREAM", value: "postgresql://app:hunter2@db:5432/x" },
          ],
        }),
      ),
      [
        "container api is privileged",
        "container api runs as root",
        "container api has no log configuration",
        "container api: DB_PASSWORD looks like a secret: use secrets (Secrets Manager)",
        "container api: UPSTREAM holds a URL with credentials",
      ],
    );
    assert.deepEqual(
      violations(
        "ecs-containers-safe",
        task({ user: "app", healthCheck: { command: ["CMD", "true"], retries: 12 } }),
      ),
      ["container api healthCheck.retries 12 is outside 1-10 (ECS HealthCheck API reference)"],
    );
  });

  it("aws-name-limits", () => {
    const sg = "aws:ec2/securityGroup:SecurityGroup";
    assert.deepEqual(violations("aws-name-limits", r(sg, "sg", { description: "The tasks" })), []);
    assert.deepEqual(
      violations("aws-name-limits", r(sg, "sg", { description: "The service's tasks" })),
      [
        'sg: description "The service\'s tasks" has characters AWS refuses (EC2 API Reference, CreateSecurityGroup: GroupDescription)',
      ],
    );
  });

  it("secrets-out-of-refresh", () => {
    const version = "aws:secretsmanager/secretVersion:SecretVersion";
    const parameter = "aws:ssm/parameter:Parameter";
    assert.deepEqual(
      violations("secrets-out-of-refresh", r(parameter, "p", { type: "String" })),
      [],
    );
    assert.deepEqual(
      violations(
        "secrets-out-of-refresh",
        r(version, "v", { secretString: "x" }),
        r(parameter, "p", { type: "SecureString" }),
      ).map((m) => m.split(",")[0].split(":")[0]),
      [
        "a SecretVersion's refresh reads the secret's value",
        "a SecureString parameter's refresh decrypts its value",
      ],
    );
  });

  it("ecs-exec-writable: ECS Exec only into tasks whose root file system the SSM agent can write", () => {
    const td = (name: string, readonlyRootFilesystem: boolean) =>
      r(T.task, name, {
        arn: `arn:td/${name}:1`,
        containerDefinitions: JSON.stringify([{ name: "api", readonlyRootFilesystem }]),
      });
    const service = (name: string, taskDefinition: string, enableExecuteCommand: boolean) =>
      r("aws:ecs/service:Service", name, { taskDefinition, enableExecuteCommand });
    assert.deepEqual(
      violations(
        "ecs-exec-writable",
        td("ro", true),
        td("rw", false),
        service("off", "arn:td/ro:1", false),
        service("on", "arn:td/rw:1", true),
      ),
      [],
    );
    assert.deepEqual(
      violations("ecs-exec-writable", td("ro", true), service("broken", "arn:td/ro:1", true)),
      [
        "broken enables ECS Exec, but container api of its task definition has a read-only root file system, where the SSM agent cannot run: set execCommand false, or leave the root file system writable",
      ],
    );
  });

  it("ecs-service-rollback, rds-safe", () => {
    const service = (cb: unknown) =>
      r("aws:ecs/service:Service", "s", { deploymentCircuitBreaker: cb });
    assert.deepEqual(
      violations("ecs-service-rollback", service({ enable: true, rollback: true })),
      [],
    );
    assert.equal(
      violations("ecs-service-rollback", service({ enable: true, rollback: false })).length,
      1,
    );
    const db = {
      storageEncrypted: true,
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      deletionProtection: true,
    };
    assert.deepEqual(violations("rds-safe", r("aws:rds/instance:Instance", "db", db, true)), []);
    assert.deepEqual(
      violations(
        "rds-safe",
        r(
          "aws:rds/instance:Instance",
          "db",
          { ...db, publiclyAccessible: true, backupRetentionPeriod: 3, deletionProtection: false },
          true,
        ),
      ),
      [
        "the instance is publicly accessible",
        "automated backups are kept 3 days: keep at least 7",
        "a protected database must have deletion protection",
      ],
    );
  });

  it("iam-no-star, admin-only-fenced, oidc-trust-exact", () => {
    const inline = (statement: unknown) => ({
      name: "x",
      policy: JSON.stringify({ Statement: [statement] }),
    });
    assert.deepEqual(
      violations(
        "iam-no-star",
        r(T.role, "ok", {
          inlinePolicies: [inline({ Effect: "Deny", Action: "*", Resource: "*" })],
        }),
      ),
      [],
    );
    assert.deepEqual(
      violations(
        "iam-no-star",
        r(T.role, "bad", {
          inlinePolicies: [inline({ Effect: "Allow", Action: ["*"], Resource: "*" })],
        }),
      ),
      ["inline policy x allows * on *"],
    );
    const fenced = r(T.role, "deploy", {
      name: "deploy",
      inlinePolicies: [inline({ Sid: "NoOtherStacksResources", Effect: "Deny" })],
    });
    const admin = r("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {
      role: "deploy",
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    assert.deepEqual(violations("admin-only-fenced", fenced, admin), []);
    assert.deepEqual(
      violations("admin-only-fenced", r(T.role, "deploy", { name: "deploy" }), admin),
      ["a grants AdministratorAccess to a role without the stack fence"],
    );
    const trust = (condition: unknown) =>
      r(T.role, "gh", {
        assumeRolePolicy: JSON.stringify({
          Statement: [
            {
              Principal: {
                Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
              },
              Condition: condition,
            },
          ],
        }),
      });
    const exact = {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:eevans-d/GRUPO_GAD:environment:production",
      },
    };
    assert.deepEqual(violations("oidc-trust-exact", trust(exact)), []);
    assert.deepEqual(
      violations(
        "oidc-trust-exact",
        trust({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:eevans-d/*" } }),
      ),
      [
        "the OIDC trust does not pin aud to sts.amazonaws.com",
        "the OIDC trust does not pin an exact sub",
        "the OIDC trust uses a condition other than StringEquals",
      ],
    );
  });

  it("sg-open-only-web, listener-tls", () => {
    const open = (port: number) =>
      r(T.ingress, "i", { cidrIpv4: "0.0.0.0/0", fromPort: port, toPort: port });
    assert.deepEqual(violations("sg-open-only-web", open(443)), []);
    assert.deepEqual(violations("sg-open-only-web", open(5432)), [
      "ports 5432-5432 are open to the internet: only 80 and 443 may be",
    ]);
    const https = r(T.listener, "https", {
      loadBalancerArn: "lb",
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    const redirect = r(T.listener, "http", {
      loadBalancerArn: "lb",
      protocol: "HTTP",
      defaultActions: [{ type: "redirect" }],
    });
    const forward = r(T.listener, "http", {
      loadBalancerArn: "lb",
      protocol: "HTTP",
      defaultActions: [{ type: "forward" }],
    });
    assert.deepEqual(violations("listener-tls", https, redirect), []);
    const internal = r("aws:lb/loadBalancer:LoadBalancer", "inner", { arn: "lb", internal: true });
    const facing = r("aws:lb/loadBalancer:LoadBalancer", "outer", { arn: "lb", internal: false });
    assert.deepEqual(
      violations("no-plain-http", internal, forward),
      [],
      "an internal load balancer behind CloudFront may speak HTTP",
    );
    assert.deepEqual(violations("no-plain-http", facing, https, redirect), []);
    assert.deepEqual(violations("no-plain-http", facing, forward), [
      "http serves plain HTTP on internet-facing load balancer outer: serve HTTPS (set domain.name) or put it behind CloudFront",
    ]);
    assert.deepEqual(
      violations(
        "listener-tls",
        { ...https, props: { ...https.props, sslPolicy: "ELBSecurityPolicy-2016-08" } },
        forward,
      ),
      [
        "https uses ELBSecurityPolicy-2016-08: use a TLS 1.2+ policy",
        "http serves HTTP next to HTTPS: redirect it",
      ],
    );
  });

  describe("both committed stacks pass every guardrail", () => {
    const { mocks, run } = useProgram();
    const asArgs = (x: RecordedResource): ResourceArgs => ({
      type: x.type,
      name: x.name,
      urn: `urn:pulumi:stack::gad::${x.type}::${x.name}`,
      props: x.state,
      opts: { protect: x.protect },
    });

    for (const stack of committedStacks()) {
      it(`${stack}, and with a domain (HTTPS)`, async () => {
        for (const overrides of [
          {},
          { "gad:domain.name": "api.example.org", "gad:domain.hostedZoneId": "Z0123456789ABC" },
        ]) {
          mocks.reset();
          await run(stack, overrides);
          const resources = mocks.resources.map(asArgs);
          const found: string[] = [];
          for (const p of POLICIES) {
            const report = (m: string) => found.push(`${p.name}: ${m}`);
            if (p.validateResource) for (const res of resources) p.validateResource(res, report);
            else p.validateStack?.({ resources }, report);
          }
          assert.deepEqual(found, []);
        }
      });
    }

    it("production: every stateful resource is protected from deletion", async () => {
      await run("production");
      const stateful = mocks.resources.filter(
        (x) =>
          (x.type === "aws:s3/bucket:Bucket" && x.name.endsWith("-backups")) ||
          x.type === "aws:rds/instance:Instance" ||
          (x.type === "aws:kms/key:Key" && /-(backups|db)-key$/.test(x.name)),
      );
      assert.deepEqual(stateful.map((x) => x.name).sort(), [
        "gad-production-backups",
        "gad-production-backups-key",
        "gad-production-db",
        "gad-production-db-key",
      ]);
      for (const x of stateful)
        assert.deepEqual([x.protect, x.retainOnDelete], [true, true], x.name);
      assert.equal(mocks.one("aws:rds/instance:Instance").inputs.deletionProtection, true);
    });
  });
});
