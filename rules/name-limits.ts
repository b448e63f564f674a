// AWS's limits on the names the program gives (or lets Pulumi give) its resources. A name Pulumi
// generates is the logical name plus "-" and 7 random characters ("Resource names", Pulumi
// documentation: auto-naming), so the logical name must leave room for 8 more. Each limit cites
// the API reference of the call that would refuse it.

/** What Pulumi's auto-naming appends to a logical name: "-" and 7 random characters. */
export const PULUMI_AUTONAME_SUFFIX_LENGTH = 8;
/** What the AWS provider appends to a `namePrefix` (a 26-character unique id). */
export const PROVIDER_PREFIX_SUFFIX_LENGTH = 26;

export interface NameLimit {
  /** The input property that holds the name (dots for nested ones). */
  readonly field: string;
  readonly max: number;
  /** Characters AWS accepts. */
  readonly pattern?: RegExp;
  /** Pulumi generates it from the logical name when the program does not set it. */
  readonly autoNamed: boolean;
  readonly source: string;
}

const letters = /^[A-Za-z0-9-]+$/;
/** What EC2 accepts in security group and rule descriptions (no apostrophe, no accents). */
const EC2_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const limit = (
  field: string,
  max: number,
  source: string,
  pattern?: RegExp,
  autoNamed = true,
): NameLimit => ({ field, max, pattern, autoNamed, source });

/** Resource type → its name fields' limits. */
export const NAME_LIMITS: Readonly<Record<string, readonly NameLimit[]>> = {
  "aws:lb/loadBalancer:LoadBalancer": [
    limit("name", 32, "ELB API Reference, CreateLoadBalancer: Name", letters),
  ],
  "aws:lb/targetGroup:TargetGroup": [
    limit("name", 32, "ELB API Reference, CreateTargetGroup: Name", letters),
  ],
  "aws:iam/role:Role": [
    limit("name", 64, "IAM API Reference, CreateRole: RoleName", /^[\w+=,.@-]+$/),
  ],
  "aws:s3/bucket:Bucket": [
    limit(
      "bucket",
      63,
      "Amazon S3 User Guide, bucket naming rules",
      /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    ),
  ],
  "aws:rds/instance:Instance": [
    limit(
      "identifier",
      63,
      "RDS API Reference, CreateDBInstance: DBInstanceIdentifier",
      /^[a-z][a-z0-9-]*$/,
    ),
  ],
  "aws:rds/parameterGroup:ParameterGroup": [
    limit(
      "name",
      255,
      "RDS API Reference, CreateDBParameterGroup: DBParameterGroupName",
      /^[a-z][a-z0-9-]*$/,
    ),
  ],
  "aws:rds/subnetGroup:SubnetGroup": [
    limit(
      "name",
      255,
      "RDS API Reference, CreateDBSubnetGroup: DBSubnetGroupName",
      /^[a-z0-9 ._-]+$/,
    ),
  ],
  "aws:ecs/taskDefinition:TaskDefinition": [
    limit("family", 255, "ECS API Reference, RegisterTaskDefinition: family", /^[\w-]+$/, false),
  ],
  "aws:ecs/service:Service": [
    limit("name", 255, "ECS API Reference, CreateService: serviceName", /^[\w-]+$/),
  ],
  "aws:ecs/cluster:Cluster": [
    limit("name", 255, "ECS API Reference, CreateCluster: clusterName", /^[\w-]+$/),
  ],
  "aws:cloudwatch/logGroup:LogGroup": [
    limit(
      "name",
      512,
      "CloudWatch Logs API Reference, CreateLogGroup: logGroupName",
      /^[\w\-/.#]+$/,
    ),
  ],
  "aws:ec2/securityGroup:SecurityGroup": [
    limit("name", 255, "EC2 API Reference, CreateSecurityGroup: GroupName"),
    limit(
      "description",
      255,
      "EC2 API Reference, CreateSecurityGroup: GroupDescription",
      EC2_DESCRIPTION,
      false,
    ),
  ],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
    limit("description", 255, "EC2 API Reference, IpRange: Description", EC2_DESCRIPTION, false),
  ],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [
    limit("description", 255, "EC2 API Reference, IpRange: Description", EC2_DESCRIPTION, false),
  ],
  "aws:scheduler/schedule:Schedule": [
    limit("name", 64, "EventBridge Scheduler API Reference, CreateSchedule: Name", /^[\w.-]+$/),
    limit(
      "groupName",
      64,
      "EventBridge Scheduler API Reference, CreateSchedule: GroupName",
      /^[\w.-]+$/,
      false,
    ),
  ],
  "aws:scheduler/scheduleGroup:ScheduleGroup": [
    limit(
      "name",
      64,
      "EventBridge Scheduler API Reference, CreateScheduleGroup: Name",
      /^[\w.-]+$/,
    ),
  ],
  "aws:sqs/queue:Queue": [
    limit("name", 80, "SQS API Reference, CreateQueue: QueueName", /^[\w-]+$/),
  ],
  "aws:sns/topic:Topic": [limit("name", 256, "SNS API Reference, CreateTopic: Name", /^[\w-]+$/)],
  "aws:cloudwatch/eventRule:EventRule": [
    limit("name", 64, "EventBridge API Reference, PutRule: Name", /^[\w.-]+$/),
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    limit("name", 255, "CloudWatch API Reference, PutMetricAlarm: AlarmName"),
  ],
  "aws:secretsmanager/secret:Secret": [
    limit("name", 512, "Secrets Manager API Reference, CreateSecret: Name", /^[\w/+=.@-]+$/),
  ],
  "aws:appautoscaling/policy:Policy": [
    limit("name", 256, "Application Auto Scaling API Reference, PutScalingPolicy: PolicyName"),
  ],
  "aws:wafv2/webAcl:WebAcl": [
    limit("name", 128, "WAFV2 API Reference, CreateWebACL: Name", /^[\w-]+$/),
    limit(
      "visibilityConfig.metricName",
      128,
      "WAFV2 API Reference, VisibilityConfig: MetricName",
      /^[\w#:./-]+$/,
      false,
    ),
  ],
};

function valueAt(inputs: Record<string, unknown>, field: string): unknown {
  return field
    .split(".")
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], inputs);
}

/**
 * Problems of one resource's names: the values set in `inputs`, or for an auto-named field
 * left unset, the longest name Pulumi would generate from `logicalName`.
 */
export function nameProblems(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  for (const l of NAME_LIMITS[type] ?? []) {
    const set = valueAt(inputs, l.field);
    if (set !== undefined && typeof set !== "string") continue; // unknown until applied
    const prefix = valueAt(inputs, `${l.field}Prefix`);
    const generated = set === undefined && l.autoNamed;
    if (set === undefined && !generated) continue;
    const value =
      set ??
      (typeof prefix === "string"
        ? prefix + "x".repeat(PROVIDER_PREFIX_SUFFIX_LENGTH)
        : `${logicalName}-xxxxxxx`);
    const shown = !generated
      ? JSON.stringify(value)
      : typeof prefix === "string"
        ? `${JSON.stringify(prefix)} plus the provider's ${PROVIDER_PREFIX_SUFFIX_LENGTH}-character id`
        : `${logicalName} plus Pulumi's ${PULUMI_AUTONAME_SUFFIX_LENGTH}-character suffix`;
    if (value.length > l.max)
      problems.push(
        `${logicalName}: ${l.field} ${shown} is ${value.length} characters; AWS allows ${l.max} (${l.source})`,
      );
    if (l.pattern && !l.pattern.test(value))
      problems.push(`${logicalName}: ${l.field} ${shown} has characters AWS refuses (${l.source})`);
  }
  return problems;
}
