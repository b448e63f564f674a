// The stack's alarm topic: where every part of the stack (backups, services) reports trouble.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnParts } from "../iam";

export interface AlarmTopicArgs {
  /** Subscribed by e-mail; each address confirms once. @default [] */
  readonly emails?: readonly string[];
  /**
   * URNs of components these resources were children of before, so that moving the topic
   * keeps the deployed key, topic, policy and subscriptions
   * (https://www.pulumi.com/docs/iac/concepts/options/aliases/). @default []
   */
  readonly formerParents?: pulumi.Input<string>[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** What a publisher needs of the topic. */
export interface AlarmTopicRef {
  readonly topicArn: pulumi.Output<string>;
  /** Lets these EventBridge rules publish (once per stack: a topic has one policy). */
  publishFrom(eventRuleArns: pulumi.Input<string>[]): aws.sns.TopicPolicy;
}

/**
 * An SNS topic encrypted with its own rotating KMS key, with e-mail subscriptions. This
 * account's CloudWatch alarms may publish to it; EventBridge rules only once `publishFrom`
 * names them.
 */
export class AlarmTopic extends pulumi.ComponentResource implements AlarmTopicRef {
  public readonly topicArn: pulumi.Output<string>;
  private readonly topicName: string;
  /** `{ parent: this }`, and an alias to each former parent: every child's options. */
  private readonly children: pulumi.CustomResourceOptions;
  private readonly account: pulumi.Output<{ partition: string; account: string }>;
  private policy?: aws.sns.TopicPolicy;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:platform:AlarmTopic", name, {}, opts);
    this.topicName = name;
    const aliases = (args.formerParents ?? []).map((parent) => ({ parent }));
    this.children = { parent: this, ...(aliases.length > 0 ? { aliases } : {}) };
    const parent = this.children;
    const tags = args.tags ?? {};
    this.account = aws.getCallerIdentityOutput({}, { parent: this }).arn.apply(arnParts);
    const root = this.account.apply((a) => `arn:${a.partition}:iam::${a.account}:root`);

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alarm topic ${name}; EventBridge and CloudWatch may use it`,
        enableKeyRotation: true,
        policy: pulumi.all([root, this.account]).apply(([accountRoot, { account }]) =>
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
                // Confused deputy: only alarms and rules of this account (Amazon SNS Developer
                // Guide, "Encryption at rest": key policy for AWS service event sources).
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
        ),
        tags,
      },
      parent,
    );
    const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.id, tags }, parent);
    const emails = args.emails ?? [];
    if (emails.length === 0) {
      void pulumi.log.warn(
        "Nobody is subscribed to the stack's alarms: set gad:alarms.emails (or subscribe to the alarmTopicArn output) so failed or missing backups and unhealthy services reach a person.",
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
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }

  publishFrom(eventRuleArns: pulumi.Input<string>[]): aws.sns.TopicPolicy {
    if (this.policy) {
      throw new pulumi.ResourceError(
        `AlarmTopic ${this.topicName}: publishFrom may be called once (an SNS topic has one policy): pass every rule in one call`,
        this,
        true,
      );
    }
    this.policy = new aws.sns.TopicPolicy(
      this.topicName,
      {
        arn: this.topicArn,
        policy: pulumi
          .all([this.topicArn, pulumi.all(eventRuleArns), this.account])
          .apply(([topicArn, ruleArns, a]) =>
            JSON.stringify(alarmTopicPolicy(topicArn, ruleArns, a.partition, a.account)),
          ),
      },
      this.children,
    );
    return this.policy;
  }
}

/** The topic's policy: the account manages it, its alarms and the named rules publish. */
export function alarmTopicPolicy(
  topicArn: string,
  ruleArns: readonly string[],
  partition: string,
  account: string,
) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountManages",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: ["sns:GetTopicAttributes", "sns:Subscribe", "sns:Publish"],
        Resource: topicArn,
      },
      {
        Sid: "StoppedTaskRulePublishes",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          ArnEquals: { "aws:SourceArn": ruleArns.length === 1 ? ruleArns[0] : [...ruleArns] },
        },
      },
      {
        Sid: "AccountAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  };
}
