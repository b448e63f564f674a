// Runtime permission proof: the backup job runs for real (PostgreSQL, moto's S3 and Secrets
// Manager) with GAD_AWS_CALL_LOG recording every AWS call it makes; each call is mapped to the IAM
// actions AWS evaluates for it, and simulated against the synthesized policy of the role that
// runs that command in ECS (with the bucket's and the key's own policies). A call its role denies
// fails the test, naming call, action and role.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RecordedCall } from "../../backup/call-log";
import { runCli } from "../support/cli";
import { Decision, decide, inlinePolicies } from "../support/iam";
import { AWS_TEST_ENV, Moto } from "../support/moto";
import { PgCluster } from "../support/postgres";
import { useProgram } from "../support/program";

const STACK = "staging";
const REGION = "sa-east-1";
const TEST_BUCKET = "gad-runtime-proof";

interface Need {
  readonly action: string;
  /** Which resource: an object or the bucket of the backups, the bucket's key, or the secret. */
  readonly on: "object" | "bucket" | "bucketKey" | "secret" | "databaseKey";
  readonly context?: Record<string, string>;
}

/**
 * The IAM actions AWS evaluates for each call (Service Authorization Reference; S3 API
 * reference, "Permissions" of each operation; "Protecting data with SSE-KMS": an upload needs
 * kms:GenerateDataKey, completing a multipart upload and reading need kms:Decrypt).
 */
export function actionsFor(call: RecordedCall): Need[] | undefined {
  const i = call.input;
  const versioned = i.VersionId !== undefined;
  const prefix: Record<string, string> =
    i.Prefix !== undefined ? { "s3:prefix": String(i.Prefix) } : {};
  const sse: Record<string, string> = {
    ...(i.ServerSideEncryption
      ? { "s3:x-amz-server-side-encryption": String(i.ServerSideEncryption) }
      : {}),
    ...(i.SSEKMSKeyId
      ? { "s3:x-amz-server-side-encryption-aws-kms-key-id": String(i.SSEKMSKeyId) }
      : {}),
  };
  const key = (action: string): Need => ({ action, on: "bucketKey" });
  const viaSecrets = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };
  const map: Record<string, Need[]> = {
    "s3.PutObjectCommand": [
      { action: "s3:PutObject", on: "object", context: sse },
      key("kms:GenerateDataKey"),
    ],
    "s3.CreateMultipartUploadCommand": [
      { action: "s3:PutObject", on: "object", context: sse },
      key("kms:GenerateDataKey"),
    ],
    "s3.UploadPartCommand": [{ action: "s3:PutObject", on: "object" }, key("kms:GenerateDataKey")],
    "s3.CompleteMultipartUploadCommand": [
      { action: "s3:PutObject", on: "object" },
      key("kms:Decrypt"),
    ],
    "s3.AbortMultipartUploadCommand": [{ action: "s3:AbortMultipartUpload", on: "object" }],
    "s3.ListPartsCommand": [{ action: "s3:ListMultipartUploadParts", on: "object" }],
    "s3.GetObjectCommand": [
      { action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", on: "object" },
      key("kms:Decrypt"),
    ],
    "s3.HeadObjectCommand": [
      { action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", on: "object" },
    ],
    "s3.ListObjectsV2Command": [{ action: "s3:ListBucket", on: "bucket", context: prefix }],
    "s3.ListObjectVersionsCommand": [
      { action: "s3:ListBucketVersions", on: "bucket", context: prefix },
    ],
    "s3.HeadBucketCommand": [{ action: "s3:ListBucket", on: "bucket" }],
    "secretsmanager.GetSecretValueCommand": [
      { action: "secretsmanager:GetSecretValue", on: "secret" },
      { action: "kms:Decrypt", on: "databaseKey", context: viaSecrets },
    ],
    "secretsmanager.PutSecretValueCommand": [
      { action: "secretsmanager:PutSecretValue", on: "secret" },
      { action: "kms:GenerateDataKey", on: "databaseKey", context: viaSecrets },
    ],
  };
  return map[`${call.service}.${call.operation}`];
}

/** A KMS key without a policy of its own has the default one: IAM policies decide. */
const defaultKeyPolicy = (account: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});

describe("runtime permissions: the job's real AWS calls, simulated against its roles", function () {
  this.timeout(180_000);
  const { mocks, run } = useProgram();
  let pg: PgCluster;
  let moto: Moto;
  let dir: string;
  const stackFacts = {
    bucket: "",
    bucketKey: "",
    bucketPolicy: {} as object,
    loginSecret: "",
    databaseKey: "",
    roles: {} as Record<string, object[]>,
  };
  /** Per command: the role that runs it in ECS, and the calls it made. */
  const made: { command: string; role: string; calls: RecordedCall[] }[] = [];

  before(async () => {
    await run(STACK);
    const bucket = mocks.named("aws:s3/bucket:Bucket", `gad-${STACK}-backups`);
    stackFacts.bucket = bucket.state.bucket;
    stackFacts.bucketKey = mocks.named("aws:kms/key:Key", `gad-${STACK}-backups-key`).state.arn;
    stackFacts.bucketPolicy = JSON.parse(
      mocks.named("aws:s3/bucketPolicy:BucketPolicy", `gad-${STACK}-backups-policy`).inputs.policy,
    );
    stackFacts.loginSecret = mocks.named(
      "aws:secretsmanager/secret:Secret",
      `gad-${STACK}-db-app`,
    ).state.arn;
    stackFacts.databaseKey = mocks.named("aws:kms/key:Key", `gad-${STACK}-db-key`).state.arn;
    for (const r of mocks.ofType("aws:iam/role:Role"))
      stackFacts.roles[r.name] = inlinePolicies(r.inputs);
    const destination = JSON.parse(
      mocks.named("aws:ecs/taskDefinition:TaskDefinition", `gad-${STACK}-backup`).inputs
        .containerDefinitions,
    )[0].environment.find((e: { name: string }) => e.name === "BACKUP_DESTINATION").value as string;
    const prefix = destination.replace(/^s3:\/\/[^/]+\//, "");

    [pg, moto] = await Promise.all([PgCluster.start(), Moto.start()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-calls-"));
    await moto.createBucket(TEST_BUCKET);
    await pg.createDatabase("grupogad");
    await pg.sql(
      "grupogad",
      "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 2000) g",
    );
    const login = await moto.createSecret("gad-runtime-login");

    const env = (database: string, command: string) => ({
      ...pg.env(database),
      ...AWS_TEST_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      BACKUP_DESTINATION: `s3://${TEST_BUCKET}/${prefix}`,
      BACKUP_DATABASE: "grupogad",
      GAD_AWS_CALL_LOG: path.join(dir, `${command}.jsonl`),
    });
    // Each command as the stack runs it: the role is the task role of the family that runs it.
    const commands: [string, string[], string, Record<string, string>][] = [
      ["backup", ["backup"], `gad-${STACK}-backup-task`, env("grupogad", "backup")],
      ["list", ["list"], `gad-${STACK}-drill-task`, env("grupogad", "list")],
      ["verify", ["verify", "latest"], `gad-${STACK}-drill-task`, env("grupogad", "verify")],
      [
        "restore",
        ["restore", "latest", "--target", pg.url("restored", null), "--create"],
        `gad-${STACK}-drill-task`,
        env("grupogad", "restore"),
      ],
      ["drill", ["drill"], `gad-${STACK}-drill-task`, env("postgres", "drill")],
      [
        "provision-app-role",
        ["provision-app-role"],
        `gad-${STACK}-provision-task`,
        {
          ...env("grupogad", "provision-app-role"),
          APP_ROLE: "gad_app",
          APP_LOGIN_GENERATION: "1",
          APP_EXTENSIONS: "pgcrypto",
          APP_LOGIN_ARN: login,
        },
      ],
    ];
    for (const [command, args, role, e] of commands) {
      const result = await runCli(args, e);
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      const file = e.GAD_AWS_CALL_LOG;
      const calls = fs.existsSync(file)
        ? fs
            .readFileSync(file, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as RecordedCall)
        : [];
      made.push({ command, role, calls });
    }
  });
  after(() => {
    pg?.stop();
    moto?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every refusal: `command: call → action on resource (role): decision`. */
  async function refusals(roles: Record<string, object[]>): Promise<string[]> {
    const found: string[] = [];
    const account = stackFacts.bucketKey.split(":")[4];
    for (const { command, role, calls } of made) {
      const policies = roles[role];
      assert.ok(policies, `no role ${role} in the stack`);
      for (const call of calls) {
        const needs = actionsFor(call);
        assert.ok(
          needs,
          `${command}: ${call.service} ${call.operation} is not mapped to IAM actions: add it to actionsFor`,
        );
        for (const need of needs) {
          const resource = {
            object: `arn:aws:s3:::${stackFacts.bucket}/${String(call.input.Key)}`,
            bucket: `arn:aws:s3:::${stackFacts.bucket}`,
            bucketKey: stackFacts.bucketKey,
            secret: stackFacts.loginSecret,
            databaseKey: stackFacts.databaseKey,
          }[need.on];
          const s3 = need.on === "object" || need.on === "bucket";
          const context = {
            ...(s3 ? { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" } : {}),
            ...(need.on === "bucketKey" ? { "kms:ViaService": `s3.${REGION}.amazonaws.com` } : {}),
            ...need.context,
          };
          const resourcePolicy = s3
            ? stackFacts.bucketPolicy
            : need.on.endsWith("Key")
              ? defaultKeyPolicy(account)
              : undefined;
          const decision: Decision = await decide(
            policies,
            need.action,
            resource,
            context,
            resourcePolicy,
          );
          if (decision !== "Allowed") {
            const version = call.input.VersionId !== undefined ? " (with VersionId)" : "";
            found.push(
              `${command}: ${call.operation}${version} → ${need.action} on ${resource} (${role}): ${decision}`,
            );
          }
        }
      }
    }
    return [...new Set(found)];
  }

  it("records the calls of backup, list, verify, restore, drill and provision-app-role", () => {
    const operations = (command: string) =>
      new Set(made.find((m) => m.command === command)?.calls.map((c) => c.operation));
    assert.ok(
      operations("backup").has("CreateMultipartUploadCommand") ||
        operations("backup").has("PutObjectCommand"),
    );
    assert.ok(operations("list").has("ListObjectsV2Command"));
    for (const command of ["verify", "restore", "drill"]) {
      const reads =
        made
          .find((m) => m.command === command)
          ?.calls.filter((c) => c.operation === "GetObjectCommand") ?? [];
      assert.ok(
        reads.some((c) => c.input.VersionId !== undefined),
        `${command} reads at the manifest's version`,
      );
    }
    assert.ok(operations("provision-app-role").has("PutSecretValueCommand"));
  });

  it("every call each command makes is allowed to the role that runs it in ECS", async () => {
    assert.deepEqual(await refusals(stackFacts.roles), []);
  });

  it("the proof is not vacuous: without s3:GetObjectVersion the drill role fails verify, restore and drill", async () => {
    const drill = `gad-${STACK}-drill-task`;
    const stripped = stackFacts.roles[drill].map((doc) => {
      const d = doc as { Statement: { Action: string | string[] }[] };
      return {
        ...d,
        Statement: d.Statement.map((s) => ({
          ...s,
          Action: [s.Action].flat().filter((a) => a !== "s3:GetObjectVersion"),
        })).filter((s) => s.Action.length > 0),
      };
    });
    const found = await refusals({ ...stackFacts.roles, [drill]: stripped });
    for (const command of ["verify", "restore", "drill"])
      assert.ok(
        found.some((f) =>
          f.startsWith(`${command}: GetObjectCommand (with VersionId) → s3:GetObjectVersion`),
        ),
        `${command}: ${found.join("\n")}`,
      );
  });
});
