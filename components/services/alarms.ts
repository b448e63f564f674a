// The public service's alarms: pure functions of the load balancer's CloudWatch dimensions,
// and the function that creates them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The dimensions of the public service's metrics; plain strings or Pulumi inputs. */
export interface LoadBalancerDimensions<T = string> {
  /** `app/<name>/<id>` */
  readonly loadBalancer: T;
  /** `targetgroup/<name>/<id>` */
  readonly targetGroup: T;
}

const NAMESPACE = "AWS/ApplicationELB";

function metric<T>(name: string, stat: string, d: LoadBalancerDimensions<T>) {
  return {
    namespace: NAMESPACE,
    metricName: name,
    dimensions: { LoadBalancer: d.loadBalancer, TargetGroup: d.targetGroup },
    period: 300,
    stat,
  };
}

/** More than `percent` % of requests answered 5xx by the application over 5 minutes. */
export function http5xxAlarm<T>(d: LoadBalancerDimensions<T>, percent: number) {
  return {
    alarmDescription: `More than ${percent} % of requests failed with 5xx over 5 minutes. Read the service's logs; a deploy in progress rolls back on its own.`,
    comparisonOperator: "GreaterThanThreshold",
    threshold: percent,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
    metricQueries: [
      { id: "errors", metric: metric("HTTPCode_Target_5XX_Count", "Sum", d), returnData: false },
      { id: "requests", metric: metric("RequestCount", "Sum", d), returnData: false },
      {
        id: "rate",
        expression: "IF(requests > 0, 100 * errors / requests, 0)",
        label: "5xx %",
        returnData: true,
      },
    ],
  };
}

/** A target failing its health checks for 3 minutes. */
export function unhealthyTargetsAlarm<T>(d: LoadBalancerDimensions<T>) {
  return {
    alarmDescription:
      "A task has failed the load balancer's health checks for 3 minutes. ECS replaces it; if it repeats, read the task's logs.",
    namespace: NAMESPACE,
    metricName: "UnHealthyHostCount",
    dimensions: { LoadBalancer: d.loadBalancer, TargetGroup: d.targetGroup },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 3,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  };
}

/** The 95th percentile response time above `milliseconds` for 10 minutes. */
export function latencyAlarm<T>(d: LoadBalancerDimensions<T>, milliseconds: number) {
  return {
    alarmDescription: `95 % of requests took longer than ${milliseconds} ms for 10 minutes.`,
    namespace: NAMESPACE,
    metricName: "TargetResponseTime",
    dimensions: { LoadBalancer: d.loadBalancer, TargetGroup: d.targetGroup },
    extendedStatistic: "p95",
    period: 300,
    evaluationPeriods: 2,
    threshold: milliseconds / 1000,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  };
}

/** The three alarms of a public service, to `topicArn` (also when they recover). */
export function serviceAlarms(
  name: string,
  lb: {
    readonly arnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
  },
  alarms: {
    readonly topicArn: pulumi.Input<string>;
    readonly http5xxPercent: number;
    readonly latencyP95Milliseconds: number;
  },
  tags: Record<string, string>,
  parent: pulumi.Resource,
): void {
  const dims = { loadBalancer: lb.arnSuffix, targetGroup: lb.targetGroupArnSuffix };
  const topic = [alarms.topicArn];
  const all = {
    "5xx": http5xxAlarm(dims, alarms.http5xxPercent),
    unhealthy: unhealthyTargetsAlarm(dims),
    latency: latencyAlarm(dims, alarms.latencyP95Milliseconds),
  };
  for (const [id, alarm] of Object.entries(all)) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-${id}`,
      { ...alarm, alarmActions: topic, okActions: topic, tags },
      { parent },
    );
  }
}
