// Inputs of the GhcrService component.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "../platform/cluster";
import type { RolloutConfig, ServiceConfig } from "../../rules/types";
import type { Database } from "../platform/database";
import type { NetworkRef } from "../platform/network";

/** A migration that has not finished after this long fails the deploy (and is stopped). */
export const MIGRATION_TIMEOUT_SECONDS = 900;

/** The load balancer a public service sits behind (a LoadBalancer). */
export interface LoadBalancerRef {
  readonly securityGroupId: pulumi.Input<string>;
  readonly targetGroupArn: pulumi.Input<string>;
  readonly arnSuffix: pulumi.Input<string>;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  /**
   * The listener that forwards to the target group: the service is created after it, since ECS
   * refuses a target group no load balancer uses yet.
   */
  readonly listener: pulumi.Resource;
}

export interface GhcrServiceArgs {
  readonly stack: string;
  readonly region: string;
  /** The service's settings (`services.<name>` in the stack's configuration). */
  readonly service: ServiceConfig;
  /** The image, `repository@sha256:...` (Registry.pin). */
  readonly image: pulumi.Input<string>;
  readonly registryCredentialsArn: pulumi.Input<string>;
  readonly cluster: ClusterRef;
  readonly network: NetworkRef;
  /** Required when the service has `database: true`; admits the service's security group. */
  readonly database?: Database;
  /**
   * What must finish before the service or its migration connects to the database as the
   * application (the provisioning of its role). @default []
   */
  readonly databaseReady?: pulumi.Resource[];
  /** Variable name → Secrets Manager ARN, for each entry of the service's `secrets`. */
  readonly secretArns: Readonly<Record<string, pulumi.Input<string>>>;
  /** Required when the service is public. */
  readonly loadBalancer?: LoadBalancerRef;
  readonly rollout: RolloutConfig;
  /** Where the public service's alarms go, and their thresholds. */
  readonly alarms?: {
    readonly topicArn: pulumi.Input<string>;
    readonly http5xxPercent: number;
    readonly latencyP95Milliseconds: number;
  };
  /**
   * Run the migration task during `pulumi up`, before the service rolls.
   * @default true
   */
  readonly runMigrations?: boolean;
  /** @default DEFAULT_BACKUP_LOG_RETENTION_DAYS (90) */
  readonly logRetentionDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}
