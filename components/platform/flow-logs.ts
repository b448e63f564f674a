// The network's VPC flow logs: a log group, the role the flow-logs service writes with, the flow log.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { arnParts, assumeRolePolicy, policyDocument } from "../iam";

/**
 * VPC flow logs (all traffic) to their own log group, written by a role that can do only that;
 * children of `network`.
 */
export function recordFlowLogs(
  name: string,
  region: string,
  vpcId: pulumi.Output<string>,
  retentionInDays: number,
  tags: Record<string, string>,
  network: pulumi.Resource,
): void {
  const parent = { parent: network };
  const group = new aws.cloudwatch.LogGroup(`${name}-flows`, { retentionInDays, tags }, parent);
  const role = new aws.iam.Role(
    `${name}-flows`,
    {
      // Confused deputy: only this account's flow logs may assume it (Amazon VPC User Guide,
      // "IAM role for publishing flow logs to CloudWatch Logs").
      assumeRolePolicy: aws
        .getCallerIdentityOutput({}, parent)
        .arn.apply(arnParts)
        .apply(({ partition, account }) =>
          JSON.stringify(
            assumeRolePolicy(
              "vpc-flow-logs.amazonaws.com",
              account,
              `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*`,
            ),
          ),
        ),
      inlinePolicies: [
        {
          name: "write-flow-logs",
          policy: group.arn.apply((arn) =>
            JSON.stringify(
              policyDocument(
                {
                  Sid: "WriteFlowLogs",
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                  Resource: [arn, `${arn}:log-stream:*`],
                },
                // No resource type: only "*" grants it (Service Authorization Reference,
                // Amazon CloudWatch Logs; VPC flow logs' IAM role lists it).
                {
                  Sid: "ListLogGroups",
                  Effect: "Allow",
                  Action: ["logs:DescribeLogGroups"],
                  Resource: "*",
                },
              ),
            ),
          ),
        },
      ],
      tags,
    },
    parent,
  );
  new aws.ec2.FlowLog(
    `${name}-flows`,
    {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags,
    },
    parent,
  );
}
