// The AWS side of GitHub Actions, as pure functions: who may assume each role (exact OIDC
// subject and audience) and what each role may do.
import { PolicyDocument, arnParts, policyDocument } from "../iam";

/** GitHub's OIDC issuer, as IAM names its condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
/** Role sessions last at most an hour, but the infrastructure deploy role's (below). */
export const MAX_SESSION_SECONDS = 3600;
/**
 * Worst case of a first production `pulumi up`, on its critical path by the providers' own
 * create timeouts (Terraform AWS provider, which @pulumi/aws wraps): the ACM certificate's DNS
 * validation 75 min (aws_acm_certificate_validation) or the RDS instance 40 min
 * (aws_db_instance), then the migration task (15 min, MIGRATION_TIMEOUT_SECONDS) or the
 * listener, then the ECS service reaching steady state 20 min (aws_ecs_service): about 95-100
 * min. A typical first deploy (Multi-AZ RDS ~20-30 min) takes 35-50 min.
 */
export const FIRST_DEPLOY_WORST_CASE_MINUTES = 100;
/**
 * The infrastructure deploy role's session: longer than the deploy job may run (its
 * timeout-minutes), so credentials never expire mid-update; that job outlives the worst case
 * above, so a slow resource fails through Pulumi's own timeout, with the state written.
 * IAM allows 3600-43200 s (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
 */
export const DEPLOY_SESSION_SECONDS = 3 * 3600;

/** The `sub` of a job that runs in `environment` of `repository` (`owner/name`). */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** The `sub` of a job triggered by a pull request of `repository`. */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The `sub` of a job on a branch of `repository` (the scheduled drift check runs on main). */
export function branchSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

/**
 * Trust exactly the given subjects of the GitHub OIDC provider, for STS only: StringEquals (a
 * list is any of these exact values), no wildcards.
 */
export function githubTrustPolicy(providerArn: string, subject: string | readonly string[]) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: typeof subject === "string" ? subject : [...subject],
          },
        },
      },
    ],
  };
}

export interface AppDeployScope {
  readonly clusterArn: string;
  /** Names of the stack's services. */
  readonly serviceNames: readonly string[];
  /** Migration task definitions without revision. */
  readonly migrationFamilies: readonly string[];
  /** Execution and task roles of the migration tasks. */
  readonly passRoleArns: readonly string[];
  /** The services' log groups. */
  readonly logGroupArns: readonly string[];
}

/**
 * The application repository's deploy role: roll and watch its services, run its migration
 * task (passing only that task's roles), read its logs. Nothing else, on this stack only.
 */
export function appDeployPolicy(s: AppDeployScope): PolicyDocument {
  const c = arnParts(s.clusterArn);
  const cluster = c.resource.replace(/^cluster\//, "");
  const ecs = `arn:${c.partition}:ecs:${c.region}:${c.account}`;
  return policyDocument(
    {
      Sid: "RollOwnServices",
      Effect: "Allow",
      Action: ["ecs:UpdateService", "ecs:DescribeServices"],
      Resource: s.serviceNames.map((name) => `${ecs}:service/${cluster}/${name}`),
    },
    s.migrationFamilies.length === 0
      ? undefined
      : {
          Sid: "RunOwnMigrations",
          Effect: "Allow",
          Action: ["ecs:RunTask"],
          Resource: s.migrationFamilies.map((family) => `${family}:*`),
          Condition: { ArnEquals: { "ecs:cluster": s.clusterArn } },
        },
    {
      Sid: "WatchOwnTasks",
      Effect: "Allow",
      Action: ["ecs:DescribeTasks", "ecs:StopTask"],
      Resource: `${ecs}:task/${cluster}/*`,
    },
    {
      // DescribeTaskDefinition has no resource-level permissions.
      Sid: "ReadTaskDefinitions",
      Effect: "Allow",
      Action: ["ecs:DescribeTaskDefinition"],
      Resource: "*",
    },
    s.passRoleArns.length === 0
      ? undefined
      : {
          Sid: "PassMigrationRoles",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [...s.passRoleArns],
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
    {
      Sid: "ReadOwnLogs",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
      Resource: s.logGroupArns.map((arn) => `${arn}:*`),
    },
  );
}

/**
 * The guard on this repository's deploy role (which also has AdministratorAccess: it creates
 * VPCs, roles and databases): nothing tagged for another stack may be touched, and nothing may
 * be tagged for another stack.
 */
export function stackGuardPolicy(stack: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "NoOtherStacksResources",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: {
        StringNotEquals: { "aws:ResourceTag/stack": stack },
        Null: { "aws:ResourceTag/stack": "false" },
      },
    },
    {
      Sid: "NoTaggingForOtherStacks",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: {
        StringNotEquals: { "aws:RequestTag/stack": stack },
        Null: { "aws:RequestTag/stack": "false" },
      },
    },
  );
}

/**
 * The preview role's limits on top of ReadOnlyAccess: a pull request may read the
 * infrastructure's shape, never the data (backups, logs' contents, secrets, parameters). Reading
 * the Pulumi state and decrypting its secrets is granted where the state lives (the bootstrap).
 */
export function previewLimitsPolicy(dataBucketArns: readonly string[]): PolicyDocument {
  return policyDocument(
    {
      Sid: "NoData",
      Effect: "Deny",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: dataBucketArns.map((arn) => `${arn}/*`),
    },
    {
      Sid: "NoSecrets",
      Effect: "Deny",
      Action: [
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
      ],
      Resource: "*",
    },
  );
}
