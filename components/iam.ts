// IAM shared by the components: policy documents, trust policies, ARN parts, and a role with
// its one inline policy.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM policy: identity-based (no Principal) or resource-based. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** A policy document of the statements given (undefined ones left out). */
export function policyDocument(...statements: (PolicyStatement | undefined)[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.filter((s): s is PolicyStatement => s !== undefined),
  };
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export function arnParts(arn: string): {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
} {
  const m = /^arn:([^:]+):([^:]+):([^:]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) throw new Error(`not an ARN: ${arn}`);
  const [, partition, service, region, account, resource] = m;
  return { partition, service, region, account, resource };
}

/** Trust policy: only `service` may assume the role, on behalf of `account` (and `sourceArn`) when given. */
export function assumeRolePolicy(service: string, account?: string, sourceArn?: string) {
  const condition: Record<string, Record<string, string>> = {};
  if (account) condition.StringEquals = { "aws:SourceAccount": account };
  if (sourceArn) condition.ArnLike = { "aws:SourceArn": sourceArn };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}

export interface ExecutionPolicyArgs {
  readonly logGroupArn: string;
  /** Secrets Manager secrets the containers receive (registry credentials, database). */
  readonly secretArns: readonly string[];
  /** Customer-managed keys of those secrets. */
  readonly kmsKeyArns: readonly string[];
  readonly region: string;
}

/** ECS execution role: read its own secrets, write its own log streams; nothing else. */
export function executionPolicy(a: ExecutionPolicyArgs): PolicyDocument {
  return policyDocument(
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${a.logGroupArn}:log-stream:*`,
    },
    {
      Sid: "ReadOwnSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [...a.secretArns],
    },
    a.kmsKeyArns.length === 0
      ? undefined
      : {
          Sid: "DecryptOwnSecrets",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [...a.kmsKeyArns],
          Condition: {
            StringEquals: { "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` },
          },
        },
  );
}

/**
 * A service task's own role: ECS Exec sessions (`aws ecs execute-command`), logged to the
 * cluster's exec log group; nothing else.
 */
export function execSessionPolicy(execLogGroupArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "ExecSessions",
      Effect: "Allow",
      Action: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ],
      Resource: "*",
    },
    {
      Sid: "ExecSessionLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${execLogGroupArn}:log-stream:*`,
    },
    { Sid: "FindExecLogGroup", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
  );
}

/** A role with one inline policy, named after what it is for. */
export function roleWithPolicy(
  name: string,
  trust: pulumi.Input<string>,
  policy: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    name,
    { assumeRolePolicy: trust, inlinePolicies: [{ name: "least-privilege", policy }], tags },
    { parent },
  );
}
