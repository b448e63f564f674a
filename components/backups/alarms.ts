import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTopicRef } from "../platform/alarm-topic";

/** Seconds of each freshness period: hourly, so windows up to seven days can be evaluated. */
export const FRESHNESS_PERIOD_SECONDS = 3600;
/** The dead-letter queue is checked every five minutes. */
export const DEAD_LETTER_PERIOD_SECONDS = 300;

/**
 * EventBridge pattern: a task of one of `families` (task definition ARNs without revision) on
 * `clusterArn` stopped, and either never started or a job container exited non-zero.
 */
export function stoppedTaskPattern(
  clusterArn: string,
  families: readonly string[],
  jobContainers: readonly string[],
) {
  return {
    source: ["aws.ecs"],
    "detail-type": ["ECS Task State Change"],
    detail: {
      clusterArn: [clusterArn],
      lastStatus: ["STOPPED"],
      taskDefinitionArn: families.map((f) => ({ prefix: `${f}:` })),
      $or: [
        { stopCode: ["TaskFailedToStart"] },
        { containers: { name: [...jobContainers], exitCode: [{ "anything-but": 0 }] } },
      ],
    },
  };
}

export interface FreshnessCheck {
  /** What is watched, for names and messages: "backup" or "drill". */
  readonly label: string;
  readonly namespace: string;
  /** The job's EMF metric: 1 for a success, 0 for a failure. */
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** Hours without a success before the alarm fires. */
  readonly windowHours: number;
  /** Worst-case gap between two scheduled runs, for the message. */
  readonly rpoHours: number;
}

/** The alarm's inputs: ALARM when no hour of the window saw a success; silence is failure. */
export function freshnessAlarmArgs(check: FreshnessCheck) {
  return {
    namespace: check.namespace,
    metricName: check.metricName,
    dimensions: check.dimensions,
    statistic: "Maximum",
    period: FRESHNESS_PERIOD_SECONDS,
    evaluationPeriods: check.windowHours,
    datapointsToAlarm: check.windowHours,
    threshold: 1,
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "breaching",
    alarmDescription: `No successful ${check.label} in the last ${check.windowHours} h (runs are up to ${check.rpoHours} h apart, plus retries, timeout and metric delivery). Read the task logs; start one on demand with the stack output's run-task command.`,
  };
}

export interface BackupAlarmsArgs {
  readonly clusterArn: pulumi.Input<string>;
  /** Task definition ARNs without revision whose failed stops alarm. */
  readonly taskFamilies: pulumi.Input<string>[];
  /** Names of the containers whose exit code counts. */
  readonly jobContainers: readonly string[];
  readonly freshness: readonly FreshnessCheck[];
  readonly deadLetterQueueName: pulumi.Input<string>;
  /** The stack's alarm topic; the failed-stop rule is let publish to it. */
  readonly topic: AlarmTopicRef;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * What reports backup trouble to the stack's alarm topic: failed task stops (an EventBridge
 * rule), freshness alarms and dead-lettered schedule deliveries.
 */
export class BackupAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: BackupAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:backup:BackupAlarms", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const topicArn = args.topic.topicArn;
    const rule = new aws.cloudwatch.EventRule(
      `${name}-stopped`,
      {
        description: "A scheduled backup or drill task failed to start or exited non-zero",
        eventPattern: pulumi
          .all([args.clusterArn, args.taskFamilies])
          .apply(([cluster, families]) =>
            JSON.stringify(stoppedTaskPattern(cluster, families, args.jobContainers)),
          ),
        tags,
      },
      parent,
    );
    args.topic.publishFrom([rule.arn]);
    new aws.cloudwatch.EventTarget(
      `${name}-stopped`,
      {
        rule: rule.name,
        arn: topicArn,
        inputTransformer: {
          inputPaths: {
            task: "$.detail.taskArn",
            definition: "$.detail.taskDefinitionArn",
            code: "$.detail.stopCode",
            reason: "$.detail.stoppedReason",
          },
          inputTemplate:
            '"Scheduled task <definition> stopped (<code>): <reason>. Task: <task>. Read its log stream, then run it again on demand with the run-task command in the stack outputs."',
        },
      },
      parent,
    );
    const actions = { alarmActions: [topicArn], okActions: [topicArn] };
    for (const check of args.freshness) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${check.label}-freshness`,
        { ...freshnessAlarmArgs(check), ...actions, tags },
        parent,
      );
    }
    new aws.cloudwatch.MetricAlarm(
      `${name}-dead-letters`,
      {
        alarmDescription:
          "EventBridge Scheduler could not start a backup or drill task after its retries; the event is in the dead-letter queue (its attributes say why).",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.deadLetterQueueName },
        statistic: "Maximum",
        period: DEAD_LETTER_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
        tags,
      },
      parent,
    );
    this.registerOutputs({});
  }
}
