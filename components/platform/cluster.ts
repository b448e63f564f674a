import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkLogRetentionDays } from "../../rules/log-retention";

/** Days ECS Exec session logs are kept. */
export const DEFAULT_EXEC_LOG_RETENTION_DAYS = 90;

/** What the services need of the cluster (a Cluster): where to run, and where ECS Exec logs. */
export interface ClusterRef {
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly execLogGroupArn: pulumi.Input<string>;
}

export interface ClusterArgs {
  /**
   * Days ECS Exec session logs (who ran what inside a task) are kept; a CloudWatch Logs period.
   * @default DEFAULT_EXEC_LOG_RETENTION_DAYS (90)
   */
  readonly execLogRetentionDays?: number;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The ECS cluster of a stack: Container Insights on, FARGATE and FARGATE_SPOT available (each
 * workload chooses; FARGATE is the default), and ECS Exec sessions logged to their own group.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly execLogGroupName: pulumi.Output<string>;
  public readonly execLogGroupArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("gad:ecs:Cluster", name, {}, opts);
    const retention = args.execLogRetentionDays ?? DEFAULT_EXEC_LOG_RETENTION_DAYS;
    const problem = checkLogRetentionDays(retention);
    if (problem) {
      throw new pulumi.ResourceError(
        `Cluster ${name}: execLogRetentionDays ${problem} (got ${retention})`,
        this,
        true,
      );
    }
    const tags = args.tags ?? {};
    const parent = { parent: this };

    const execLogs = new aws.cloudwatch.LogGroup(
      `${name}-exec`,
      { retentionInDays: retention, tags },
      parent,
    );
    const cluster = new aws.ecs.Cluster(
      name,
      {
        settings: [{ name: "containerInsights", value: "enabled" }],
        configuration: {
          executeCommandConfiguration: {
            logging: "OVERRIDE",
            logConfiguration: {
              cloudWatchLogGroupName: execLogs.name,
              cloudWatchEncryptionEnabled: false,
            },
          },
        },
        tags,
      },
      parent,
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      },
      parent,
    );

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.execLogGroupName = execLogs.name;
    this.execLogGroupArn = execLogs.arn;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      execLogGroupName: this.execLogGroupName,
    });
  }
}
