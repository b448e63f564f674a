// Limits AWS documents for fields this program sets, checked before AWS refuses them. Each
// check returns the problems it finds, each naming the field, the limit and the value.

/** A numeric field's documented inclusive range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * ECS container health checks
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html):
 * interval 5-300 s, timeout 2-120 s, retries 1-10, startPeriod 0-300 s.
 */
export const ECS_HEALTH_CHECK_LIMITS: Readonly<Record<string, Range>> = {
  interval: { min: 5, max: 300 },
  timeout: { min: 2, max: 120 },
  retries: { min: 1, max: 10 },
  startPeriod: { min: 0, max: 300 },
};

/** `value` against `range`, as `<field> <value> is outside min-max (source)`. */
function outside(field: string, value: unknown, range: Range, source: string): string[] {
  if (value === undefined) return [];
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= range.min &&
    value <= range.max
  )
    return [];
  return [`${field} ${JSON.stringify(value)} is outside ${range.min}-${range.max} (${source})`];
}

interface ContainerDefinition {
  readonly name?: string;
  readonly healthCheck?: Record<string, unknown>;
}

/** What ECS's RegisterTaskDefinition would refuse in these container definitions' health checks. */
export function containerDefinitionProblems(containers: readonly ContainerDefinition[]): string[] {
  const problems: string[] = [];
  for (const c of containers) {
    const hc = c.healthCheck;
    if (!hc) continue;
    for (const [field, range] of Object.entries(ECS_HEALTH_CHECK_LIMITS)) {
      problems.push(
        ...outside(
          `container ${c.name} healthCheck.${field}`,
          hc[field],
          range,
          "ECS HealthCheck API reference",
        ),
      );
    }
  }
  return problems;
}

/** A numeric input of a resource type and its documented range. */
interface NumericLimit extends Range {
  /** Input property path (dots for nested fields; `[]` for each element of a list). */
  readonly field: string;
  readonly source: string;
}

const num = (field: string, min: number, max: number, source: string): NumericLimit => ({
  field,
  min,
  max,
  source,
});

/** Resource type → the numeric inputs AWS bounds, each with the API document of the bound. */
export const NUMERIC_LIMITS: Readonly<Record<string, readonly NumericLimit[]>> = {
  "aws:lb/targetGroup:TargetGroup": [
    num(
      "deregistrationDelay",
      0,
      3600,
      "ELB API Reference, TargetGroupAttribute deregistration_delay",
    ),
    num(
      "healthCheck.interval",
      5,
      300,
      "ELB API Reference, CreateTargetGroup: HealthCheckIntervalSeconds",
    ),
    num(
      "healthCheck.timeout",
      2,
      120,
      "ELB API Reference, CreateTargetGroup: HealthCheckTimeoutSeconds",
    ),
    num(
      "healthCheck.healthyThreshold",
      2,
      10,
      "ELB API Reference, CreateTargetGroup: HealthyThresholdCount",
    ),
    num(
      "healthCheck.unhealthyThreshold",
      2,
      10,
      "ELB API Reference, CreateTargetGroup: UnhealthyThresholdCount",
    ),
  ],
  "aws:lb/loadBalancer:LoadBalancer": [
    num(
      "idleTimeout",
      1,
      4000,
      "ELB API Reference, LoadBalancerAttribute idle_timeout.timeout_seconds",
    ),
  ],
  "aws:scheduler/schedule:Schedule": [
    num(
      "target.retryPolicy.maximumRetryAttempts",
      0,
      185,
      "EventBridge Scheduler API Reference, RetryPolicy",
    ),
    num(
      "target.retryPolicy.maximumEventAgeInSeconds",
      60,
      86400,
      "EventBridge Scheduler API Reference, RetryPolicy",
    ),
    num(
      "flexibleTimeWindow.maximumWindowInMinutes",
      1,
      1440,
      "EventBridge Scheduler API Reference, FlexibleTimeWindow",
    ),
  ],
  "aws:sqs/queue:Queue": [
    num(
      "messageRetentionSeconds",
      60,
      1209600,
      "SQS API Reference, SetQueueAttributes: MessageRetentionPeriod",
    ),
  ],
  "aws:kms/key:Key": [
    num(
      "deletionWindowInDays",
      7,
      30,
      "KMS API Reference, ScheduleKeyDeletion: PendingWindowInDays",
    ),
  ],
  "aws:secretsmanager/secret:Secret": [
    num(
      "recoveryWindowInDays",
      7,
      30,
      "Secrets Manager API Reference, DeleteSecret: RecoveryWindowInDays",
    ),
  ],
  "aws:rds/instance:Instance": [
    num(
      "backupRetentionPeriod",
      0,
      35,
      "RDS API Reference, CreateDBInstance: BackupRetentionPeriod",
    ),
    num(
      "allocatedStorage",
      20,
      65536,
      "RDS API Reference, CreateDBInstance: AllocatedStorage (gp3)",
    ),
    num(
      "maxAllocatedStorage",
      20,
      65536,
      "RDS API Reference, CreateDBInstance: MaxAllocatedStorage",
    ),
  ],
  "aws:ecs/taskDefinition:TaskDefinition": [
    num("ephemeralStorage.sizeInGib", 21, 200, "ECS API Reference, EphemeralStorage"),
  ],
  "aws:ecs/service:Service": [
    num("healthCheckGracePeriodSeconds", 0, 2147483647, "ECS API Reference, CreateService"),
    num(
      "deploymentMaximumPercent",
      100,
      200,
      "ECS API Reference, DeploymentConfiguration (Fargate, rolling)",
    ),
    num("deploymentMinimumHealthyPercent", 0, 100, "ECS API Reference, DeploymentConfiguration"),
  ],
  "aws:cloudfront/distribution:Distribution": [
    num(
      "origins[].vpcOriginConfig.originReadTimeout",
      1,
      60,
      "CloudFront Developer Guide, Response timeout (without a quota increase)",
    ),
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    num(
      "evaluationPeriods",
      1,
      100000,
      "CloudWatch API Reference, PutMetricAlarm: EvaluationPeriods",
    ),
  ],
};

/** The values at `path` (`a.b`, `a[].b` for each element of list `a`). */
function valuesAt(value: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split(".");
  const list = head.endsWith("[]");
  const key = list ? head.slice(0, -2) : head;
  const next = (value as Record<string, unknown> | undefined)?.[key];
  const items = list ? ((next as unknown[] | undefined) ?? []) : [next];
  return rest.length === 0 ? items : items.flatMap((i) => valuesAt(i, rest.join(".")));
}

/** What AWS would refuse among one resource's numeric inputs (values unknown until apply pass). */
export function numericProblems(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): string[] {
  return (NUMERIC_LIMITS[type] ?? []).flatMap((l) =>
    valuesAt(inputs, l.field)
      .filter((v) => v !== undefined && (typeof v === "number" || typeof v === "string"))
      .flatMap((v) =>
        outside(`${name}: ${l.field}`, typeof v === "string" ? Number(v) : v, l, l.source),
      ),
  );
}
