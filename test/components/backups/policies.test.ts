import { strict as assert } from "assert";
import {
  backupTaskPolicy,
  drillTaskPolicy,
  schedulerPolicy,
} from "../../../components/backups/policies";
import { arnParts, assumeRolePolicy, executionPolicy } from "../../../components/iam";

const BUCKET = "arn:aws:s3:::gad-production-backups-a1b2c3d";
const KEY = "arn:aws:kms:sa-east-1:123456789012:key/k-1";
const ACCESS = { bucketArn: BUCKET, prefix: "backups", kmsKeyArn: KEY };

type Doc = ReturnType<typeof backupTaskPolicy>;
const allowed = (doc: Doc) =>
  doc.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
const statement = (doc: Doc, sid: string) => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};

describe("backup IAM policies", () => {
  it("backup task: writes under its prefix, lists only the prefix, uses the bucket key", () => {
    const doc = backupTaskPolicy(ACCESS);
    assert.deepEqual(statement(doc, "WriteBackups"), {
      Sid: "WriteBackups",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `${BUCKET}/backups/*`,
    });
    assert.deepEqual(statement(doc, "ListBackupPrefix"), {
      Sid: "ListBackupPrefix",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: BUCKET,
      Condition: { StringLike: { "s3:prefix": ["backups", "backups/*"] } },
    });
    assert.deepEqual(statement(doc, "EncryptWithBucketKey").Action, [
      "kms:GenerateDataKey",
      "kms:Decrypt",
    ]);
    assert.equal(statement(doc, "EncryptWithBucketKey").Resource, KEY);
  });

  it("backup task: may not read, delete or unlock backups, and is denied it explicitly", () => {
    const doc = backupTaskPolicy(ACCESS);
    const actions = allowed(doc);
    for (const forbidden of [/Delete/, /Bypass/, /GetObject/, /Retention/, /\*/]) {
      assert.ok(!actions.some((a) => forbidden.test(a)), `${forbidden} in ${actions}`);
    }
    const deny = statement(doc, "NeverDestroyBackups");
    assert.equal(deny.Effect, "Deny");
    assert.ok(deny.Action.includes("s3:DeleteObject"));
    assert.ok(deny.Action.includes("s3:DeleteObjectVersion"));
    assert.ok(deny.Action.includes("s3:BypassGovernanceRetention"));
    assert.deepEqual(deny.Resource, [BUCKET, `${BUCKET}/*`]);
  });

  it("drill task: reads and lists its prefix and decrypts, nothing more", () => {
    const doc = drillTaskPolicy(ACCESS);
    assert.deepEqual(allowed(doc), [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:ListBucket",
      "kms:Decrypt",
    ]);
    assert.equal(statement(doc, "ReadBackups").Resource, `${BUCKET}/backups/*`);
    assert.equal(statement(doc, "NeverDestroyBackups").Effect, "Deny");
  });

  it("execution role: its own log streams and secrets; KMS only through Secrets Manager", () => {
    const logs = "arn:aws:logs:sa-east-1:123456789012:log-group:gad-production";
    const secrets = ["arn:aws:secretsmanager:sa-east-1:123456789012:secret:ghcr-AbCdEf"];
    const doc = executionPolicy({
      logGroupArn: logs,
      secretArns: secrets,
      kmsKeyArns: [KEY],
      region: "sa-east-1",
    });
    assert.deepEqual(doc.Statement, [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logs}:log-stream:*`,
      },
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: secrets,
      },
      {
        Sid: "DecryptOwnSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [KEY],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.sa-east-1.amazonaws.com" } },
      },
    ]);
    const noKeys = executionPolicy({
      logGroupArn: logs,
      secretArns: secrets,
      kmsKeyArns: [],
      region: "sa-east-1",
    });
    assert.deepEqual(
      noKeys.Statement.map((s) => s.Sid),
      ["WriteOwnLogs", "ReadOwnSecrets"],
    );
  });

  it("scheduler: runs only its families on its cluster, passes only its roles to ECS", () => {
    const cluster = "arn:aws:ecs:sa-east-1:123456789012:cluster/gad-production";
    const family = "arn:aws:ecs:sa-east-1:123456789012:task-definition/gad-production-backup";
    const roles = ["arn:aws:iam::123456789012:role/exec", "arn:aws:iam::123456789012:role/task"];
    const dlq = "arn:aws:sqs:sa-east-1:123456789012:dlq";
    const doc = schedulerPolicy({
      clusterArn: cluster,
      taskFamilies: [family],
      roleArns: roles,
      deadLetterQueueArn: dlq,
    });
    assert.deepEqual(statement(doc, "RunOwnTasks"), {
      Sid: "RunOwnTasks",
      Effect: "Allow",
      Action: ["ecs:RunTask"],
      Resource: [`${family}:*`],
      Condition: { ArnEquals: { "ecs:cluster": cluster } },
    });
    assert.equal(
      statement(doc, "TagTasksAtLaunch").Resource,
      "arn:aws:ecs:sa-east-1:123456789012:task/gad-production/*",
    );
    assert.deepEqual(statement(doc, "PassOwnRoles"), {
      Sid: "PassOwnRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    });
    assert.deepEqual(statement(doc, "DeadLetters").Resource, dlq);
    assert.deepEqual(allowed(doc).sort(), [
      "ecs:RunTask",
      "ecs:TagResource",
      "iam:PassRole",
      "sqs:SendMessage",
    ]);
  });

  it("trust policies name the service and, when given, the account and source", () => {
    assert.deepEqual(
      assumeRolePolicy("scheduler.amazonaws.com", "123456789012", "arn:aws:scheduler:*").Statement,
      [
        {
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:scheduler:*" },
          },
        },
      ],
    );
    assert.equal(
      "Condition" in assumeRolePolicy("vpc-flow-logs.amazonaws.com").Statement[0],
      false,
    );
  });

  it("reads ARNs, and refuses what is not one", () => {
    assert.deepEqual(arnParts("arn:aws:ecs:sa-east-1:123456789012:cluster/gad"), {
      partition: "aws",
      service: "ecs",
      region: "sa-east-1",
      account: "123456789012",
      resource: "cluster/gad",
    });
    assert.equal(arnParts("arn:aws:s3:::bucket").account, "");
    assert.throws(() => arnParts("gad-production"), /not an ARN: gad-production/);
  });
});
