import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnParts } from "../iam";

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
  /** Subscribed by e-mail; each address confirms once. @default [] */
  readonly emails?: readonly string[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Where backup trouble is reported: an encrypted SNS topic (with e-mail subscriptions), fed by
 * failed task stops, freshness alarms and dead-lettered schedule deliveries.
 */
export class BackupAlarms extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: BackupAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:backup:BackupAlarms", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const cluster = pulumi.output(args.clusterArn).apply(arnParts);
    const account = cluster.account;
    const root = cluster.apply((c) => `arn:${c.partition}:iam::${c.account}:root`);

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alarm topic ${name}; EventBridge and CloudWatch may use it`,
        enableKeyRotation: true,
        policy: root.apply((accountRoot) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: accountRoot },
                Action: "kms:*",
                Resource: "*",
              },
              {
                Sid: "AlarmSourcesPublish",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
              },
            ],
          }),
        ),
        tags,
      },
      parent,
    );
    const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.id, tags }, parent);
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
    new aws.sns.TopicPolicy(
      name,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, rule.arn, root, account])
          .apply(([topicArn, ruleArn, accountRoot, id]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "AccountManages",
                  Effect: "Allow",
                  Principal: { AWS: accountRoot },
                  Action: ["sns:GetTopicAttributes", "sns:Subscribe", "sns:Publish"],
                  Resource: topicArn,
                },
                {
                  Sid: "StoppedTaskRulePublishes",
                  Effect: "Allow",
                  Principal: { Service: "events.amazonaws.com" },
                  Action: "sns:Publish",
                  Resource: topicArn,
                  Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
                },
                {
                  Sid: "AccountAlarmsPublish",
                  Effect: "Allow",
                  Principal: { Service: "cloudwatch.amazonaws.com" },
                  Action: "sns:Publish",
                  Resource: topicArn,
                  Condition: { StringEquals: { "aws:SourceAccount": id } },
                },
              ],
            }),
          ),
      },
      parent,
    );
    const emails = args.emails ?? [];
    if (emails.length === 0) {
      void pulumi.log.warn(
        "Nobody is subscribed to the backup alarms: set gad:alarms.emails (or subscribe to the alarmTopicArn output) so failed or missing backups reach a person.",
        this,
      );
    }
    emails.forEach(
      (email, i) =>
        new aws.sns.TopicSubscription(
          `${name}-email-${i + 1}`,
          { topic: topic.arn, protocol: "email", endpoint: email },
          parent,
        ),
    );
    new aws.cloudwatch.EventTarget(
      `${name}-stopped`,
      {
        rule: rule.name,
        arn: topic.arn,
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
    const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };
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
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
