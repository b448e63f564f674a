// The synthesized role policies of both stacks, evaluated by an IAM policy simulator
// (@cloud-copilot/iam-simulate): least privilege proven by decisions, not by reading documents.
import { strict as assert } from "assert";
import { decide } from "../support/iam";
import { useProgram } from "../support/program";

const ACCOUNT = "123456789012";
const REGION = "sa-east-1";

describe("IAM, by simulation", function () {
  this.timeout(60_000);
  const { mocks, run } = useProgram();
  const roles: Record<string, object[]> = {};
  let stagingBucket = "";
  let productionBucket = "";

  /** Each role's inline policies, and AdministratorAccess where it is attached. */
  function collect(): void {
    const attached = mocks
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => String(a.inputs.policyArn).endsWith(":policy/AdministratorAccess"))
      .map((a) => a.inputs.role);
    for (const role of mocks.ofType("aws:iam/role:Role")) {
      const inline = (role.inputs.inlinePolicies ?? []).map((p: { policy: string }) =>
        JSON.parse(p.policy),
      );
      const admin = attached.includes(role.state.name)
        ? [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }]
        : [];
      roles[role.name] = [...inline, ...admin];
    }
  }

  before(async () => {
    await run("production");
    productionBucket = mocks.named("aws:s3/bucket:Bucket", "gad-production-backups").state.bucket;
    collect();
    mocks.reset();
    await run("staging");
    stagingBucket = mocks.named("aws:s3/bucket:Bucket", "gad-staging-backups").state.bucket;
    collect();
  });

  const object = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
  const cluster = (stack: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/gad-${stack}`;
  const family = (name: string, revision = 3) =>
    `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${name}:${revision}`;

  it("the backup role writes under its prefix and nowhere else, and can neither read nor destroy backups", async () => {
    const backup = roles["gad-staging-backup-task"];
    const dump = object(
      stagingBucket,
      "backups/grupogad/2026/11/29/grupogad-20261129T010000Z.dump",
    );
    assert.equal(await decide(backup, "s3:PutObject", dump), "Allowed");
    assert.equal(await decide(backup, "s3:AbortMultipartUpload", dump), "Allowed");
    assert.equal(
      await decide(backup, "s3:PutObject", object(stagingBucket, "elsewhere/x.dump")),
      "ImplicitlyDenied",
    );
    assert.equal(
      await decide(backup, "s3:PutObject", object(productionBucket, "backups/x.dump")),
      "ImplicitlyDenied",
    );
    assert.equal(await decide(backup, "s3:GetObject", dump), "ImplicitlyDenied");
    assert.equal(await decide(backup, "s3:GetObjectVersion", dump), "ImplicitlyDenied");
    assert.equal(await decide(backup, "s3:DeleteObject", dump), "ExplicitlyDenied");
    assert.equal(await decide(backup, "s3:DeleteObjectVersion", dump), "ExplicitlyDenied");
    assert.equal(await decide(backup, "s3:BypassGovernanceRetention", dump), "ExplicitlyDenied");
    assert.equal(
      await decide(backup, "s3:PutLifecycleConfiguration", `arn:aws:s3:::${stagingBucket}`),
      "ExplicitlyDenied",
    );
    const list = `arn:aws:s3:::${stagingBucket}`;
    assert.equal(
      await decide(backup, "s3:ListBucket", list, { "s3:prefix": "backups/grupogad/" }),
      "Allowed",
    );
    assert.equal(
      await decide(backup, "s3:ListBucket", list, { "s3:prefix": "other/" }),
      "ImplicitlyDenied",
    );
  });

  it("production's flow-logs role writes its own group and may list groups (no resource type)", async () => {
    const flows = roles["gad-production-flows"];
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:gad-production-flows`;
    // DescribeLogGroups has no resource type: only Resource "*" grants it
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
    assert.equal(await decide(flows, "logs:DescribeLogGroups", "*"), "Allowed");
    // CreateLogStream is authorized on the stream it creates (resource type log-stream).
    assert.equal(
      await decide(flows, "logs:CreateLogStream", `${group}:log-stream:eni-1-all`),
      "Allowed",
    );
    assert.equal(
      await decide(flows, "logs:PutLogEvents", `${group}:log-stream:eni-1-all`),
      "Allowed",
    );
    assert.equal(
      await decide(
        flows,
        "logs:PutLogEvents",
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:other:log-stream:x`,
      ),
      "ImplicitlyDenied",
    );
  });

  it("the drill role reads backups and cannot write or delete them", async () => {
    const drill = roles["gad-staging-drill-task"];
    const dump = object(stagingBucket, "backups/grupogad/x.dump");
    assert.equal(await decide(drill, "s3:GetObject", dump), "Allowed");
    // The job reads the dump and its manifest at the version the manifest records: a GetObject
    // with VersionId, which S3 authorizes as s3:GetObjectVersion
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
    assert.equal(await decide(drill, "s3:GetObjectVersion", dump), "Allowed");
    assert.equal(
      await decide(drill, "s3:GetObjectVersion", object(stagingBucket, "elsewhere/x.dump")),
      "ImplicitlyDenied",
    );
    assert.equal(await decide(drill, "s3:PutObject", dump), "ImplicitlyDenied");
    assert.equal(await decide(drill, "s3:DeleteObject", dump), "ExplicitlyDenied");
  });

  it("the application's login: provisioning reads and writes it; the service reads it and never the master's", async () => {
    const secret = (name: string) =>
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
    const master = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-gad-staging-db-XyZ123`;
    const dbKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/gad-staging-db-key-key-id`; // the mock's
    const viaSecrets = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };
    // KMS evaluates the key policy too: the database's key has the default one, which lets the
    // account's IAM policies decide (AWS KMS Developer Guide, "Default key policy").
    const keyPolicy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    const kms = (action: string, context: Record<string, string> = {}) =>
      decide(provision, action, dbKey, context, keyPolicy);
    const provision = roles["gad-staging-provision-task"];
    const login = secret("gad-staging-db-app");
    // provision-app-role: GetSecretValue then PutSecretValue, SSE-KMS under the database's key.
    assert.equal(await decide(provision, "secretsmanager:GetSecretValue", login), "Allowed");
    assert.equal(await decide(provision, "secretsmanager:PutSecretValue", login), "Allowed");
    assert.equal(await kms("kms:Decrypt", viaSecrets), "Allowed");
    assert.equal(await kms("kms:GenerateDataKey", viaSecrets), "Allowed");
    assert.equal(await kms("kms:Decrypt"), "ImplicitlyDenied", "only through Secrets Manager");
    assert.equal(
      await decide(provision, "secretsmanager:PutSecretValue", secret("gad-staging-appSecretKey")),
      "ImplicitlyDenied",
    );
    // ECS injects the service's secrets with its execution role.
    const api = roles["gad-staging-api-exec"];
    assert.equal(await decide(api, "secretsmanager:GetSecretValue", login), "Allowed");
    assert.equal(await decide(api, "secretsmanager:GetSecretValue", master), "ImplicitlyDenied");
    assert.equal(await decide(api, "secretsmanager:PutSecretValue", login), "ImplicitlyDenied");
  });

  it("the scheduler runs only its task families on its cluster and passes only their roles to ECS", async () => {
    const scheduler = roles["gad-staging-scheduler"];
    const onCluster = { "ecs:cluster": cluster("staging") };
    assert.equal(
      await decide(scheduler, "ecs:RunTask", family("gad-staging-backup"), onCluster),
      "Allowed",
    );
    assert.equal(
      await decide(scheduler, "ecs:RunTask", family("gad-staging-drill"), onCluster),
      "Allowed",
    );
    assert.equal(
      await decide(scheduler, "ecs:RunTask", family("gad-staging-api"), onCluster),
      "ImplicitlyDenied",
    );
    assert.equal(
      await decide(scheduler, "ecs:RunTask", family("gad-staging-backup"), {
        "ecs:cluster": cluster("production"),
      }),
      "ImplicitlyDenied",
    );
    const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
    const toEcs = { "iam:PassedToService": "ecs-tasks.amazonaws.com" };
    assert.equal(
      await decide(scheduler, "iam:PassRole", role("gad-staging-backup-task"), toEcs),
      "Allowed",
    );
    assert.equal(
      await decide(scheduler, "iam:PassRole", role("gad-staging-api-task"), toEcs),
      "ImplicitlyDenied",
    );
    assert.equal(
      await decide(scheduler, "iam:PassRole", role("gad-staging-backup-task"), {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
      "ImplicitlyDenied",
    );
  });

  it("staging's deploy roles cannot touch production", async () => {
    const app = roles["gad-staging-grupo-gad-deploy"];
    const service = (stack: string) =>
      `arn:aws:ecs:${REGION}:${ACCOUNT}:service/gad-${stack}/gad-${stack}-api`;
    assert.equal(await decide(app, "ecs:UpdateService", service("staging")), "Allowed");
    assert.equal(await decide(app, "ecs:UpdateService", service("production")), "ImplicitlyDenied");
    assert.equal(
      await decide(app, "ecs:RunTask", family("gad-staging-api-migrate"), {
        "ecs:cluster": cluster("staging"),
      }),
      "Allowed",
    );
    assert.equal(
      await decide(app, "ecs:RunTask", family("gad-production-api-migrate"), {
        "ecs:cluster": cluster("production"),
      }),
      "ImplicitlyDenied",
    );
    const infra = roles["gad-staging-gad-infra-deploy"];
    const db = `arn:aws:rds:${REGION}:${ACCOUNT}:db:gad-production-db`;
    assert.equal(
      await decide(infra, "rds:DeleteDBInstance", db, { "aws:ResourceTag/stack": "production" }),
      "ExplicitlyDenied",
    );
    assert.equal(
      await decide(infra, "rds:DeleteDBInstance", db, { "aws:ResourceTag/stack": "staging" }),
      "Allowed",
    );
    assert.equal(
      await decide(infra, "ec2:CreateVpc", `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/*`, {
        "aws:RequestTag/stack": "production",
      }),
      "ExplicitlyDenied",
    );
    const preview = roles["gad-staging-gad-infra-preview"];
    assert.equal(
      await decide(preview, "s3:GetObject", object(stagingBucket, "backups/x.dump")),
      "ExplicitlyDenied",
    );
    assert.equal(
      await decide(preview, "s3:GetObjectVersion", object(stagingBucket, "backups/x.dump")),
      "ExplicitlyDenied",
    );
    assert.equal(
      await decide(
        preview,
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:x`,
      ),
      "ExplicitlyDenied",
    );
  });
});
