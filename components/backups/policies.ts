// IAM policy documents of the scheduled backups, as pure functions of ARNs: what each role may
// do is readable, and tested, without an engine.
import { PolicyDocument, PolicyStatement, arnParts, policyDocument as document } from "../iam";

export interface BucketAccess {
  readonly bucketArn: string;
  /** Key prefix of the backups, without slashes at either end. */
  readonly prefix: string;
  readonly kmsKeyArn: string;
}

/** Listing limited to the prefix (and the prefix itself, as a key). */
function listPrefix(a: BucketAccess): PolicyStatement {
  return {
    Sid: "ListBackupPrefix",
    Effect: "Allow",
    Action: ["s3:ListBucket"],
    Resource: a.bucketArn,
    Condition: { StringLike: { "s3:prefix": [a.prefix, `${a.prefix}/*`] } },
  };
}

/** What neither task may ever do to the backups, whatever else is attached to its role. */
function denyDestruction(a: BucketAccess): PolicyStatement {
  return {
    Sid: "NeverDestroyBackups",
    Effect: "Deny",
    Action: [
      "s3:DeleteObject",
      "s3:DeleteObjectVersion",
      "s3:BypassGovernanceRetention",
      "s3:PutObjectRetention",
      "s3:PutObjectLegalHold",
      "s3:PutLifecycleConfiguration",
      "s3:PutBucketPolicy",
      "s3:DeleteBucketPolicy",
      "s3:PutBucketVersioning",
      "s3:PutBucketObjectLockConfiguration",
    ],
    Resource: [a.bucketArn, `${a.bucketArn}/*`],
  };
}

/**
 * Backup task role: write new objects under the prefix (multipart included), list the prefix to
 * refuse an existing key, and use the bucket's key. It cannot read, delete or unlock backups.
 */
export function backupTaskPolicy(a: BucketAccess): PolicyDocument {
  return document(
    {
      Sid: "WriteBackups",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `${a.bucketArn}/${a.prefix}/*`,
    },
    listPrefix(a),
    {
      Sid: "EncryptWithBucketKey",
      Effect: "Allow",
      // Decrypt: S3 reads the data key back to complete a multipart upload.
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: a.kmsKeyArn,
    },
    denyDestruction(a),
  );
}

/** Drill task role: read backups under the prefix and decrypt them; nothing else. */
export function drillTaskPolicy(a: BucketAccess): PolicyDocument {
  return document(
    {
      Sid: "ReadBackups",
      Effect: "Allow",
      // verify, restore and drill read a dump and its manifest at the version the manifest
      // names (GetObject with VersionId), which S3 authorizes as s3:GetObjectVersion.
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${a.bucketArn}/${a.prefix}/*`,
    },
    listPrefix(a),
    { Sid: "DecryptBackups", Effect: "Allow", Action: ["kms:Decrypt"], Resource: a.kmsKeyArn },
    denyDestruction(a),
  );
}

export interface SchedulerPolicyArgs {
  readonly clusterArn: string;
  /** Task definition ARNs without revision (`.../task-definition/family`). */
  readonly taskFamilies: readonly string[];
  /** Execution and task roles of those families. */
  readonly roleArns: readonly string[];
  readonly deadLetterQueueArn: string;
}

/** The scheduler's role: run only these families on this cluster, pass only their roles. */
/**
 * The provisioning task (gad-backup provision-app-role): read and write the application's
 * credential secret, through Secrets Manager only for its key (kms:ViaService).
 */
export function appCredentialPolicy(a: {
  readonly secretArn: string;
  readonly kmsKeyArn: string;
  readonly region: string;
}): PolicyDocument {
  return document(
    {
      Sid: "AppCredential",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
      Resource: a.secretArn,
    },
    {
      Sid: "AppCredentialKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: a.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` } },
    },
  );
}

export function schedulerPolicy(a: SchedulerPolicyArgs): PolicyDocument {
  const cluster = arnParts(a.clusterArn);
  const clusterName = cluster.resource.replace(/^cluster\//, "");
  const taskArns = `arn:${cluster.partition}:ecs:${cluster.region}:${cluster.account}:task/${clusterName}/*`;
  return document(
    {
      Sid: "RunOwnTasks",
      Effect: "Allow",
      Action: ["ecs:RunTask"],
      Resource: a.taskFamilies.map((f) => `${f}:*`),
      Condition: { ArnEquals: { "ecs:cluster": a.clusterArn } },
    },
    {
      Sid: "TagTasksAtLaunch",
      Effect: "Allow",
      Action: ["ecs:TagResource"],
      Resource: taskArns,
      Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
    },
    {
      Sid: "PassOwnRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [...a.roleArns],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
    {
      Sid: "DeadLetters",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: a.deadLetterQueueArn,
    },
  );
}
