// The stack's platform, built from its configuration: the network, the cluster, the registry's
// credentials, the database and the alarm topic that every other part reports to.
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConfig, NetworkConfig } from "../../rules/types";
import { AlarmTopic } from "./alarm-topic";
import { Cluster } from "./cluster";
import { Database } from "./database";
import { Network } from "./network";
import { Registry } from "./registry";

/** Tags of one part of the stack (`component`), the same `project` and `stack` on all. */
export type Tagger = (component: string) => Record<string, string>;

/** The configuration the platform is built from (a slice of the stack's). */
export interface PlatformConfig {
  readonly region: string;
  readonly protectStatefulResources: boolean;
  readonly network: NetworkConfig;
  readonly database: DatabaseConfig;
  readonly backup: { readonly kmsKeyDeletionWindowDays: number };
  readonly ghcr: { readonly username: string };
  readonly alarms: { readonly emails: readonly string[] };
  readonly secrets: {
    readonly ghcrToken: pulumi.Input<string>;
    /** Set when `database.mode` is external. */
    readonly databaseUrl?: pulumi.Input<string>;
  };
}

export interface Platform {
  readonly network: Network;
  readonly cluster: Cluster;
  readonly registry: Registry;
  readonly database: Database;
  readonly alarmTopic: AlarmTopic;
}

/**
 * Where the alarm topic's resources lived before the components were grouped by concern: in
 * the backups' alarms (`gad:backup:ScheduledBackup` `name` → `gad:backup:BackupAlarms`
 * `name-alarms`). Their aliases name it, so the deployed topic is kept, not replaced.
 */
export function formerAlarmTopicParent(name: string): pulumi.Output<string> {
  const scheduled = pulumi.createUrn(name, "gad:backup:ScheduledBackup");
  return pulumi.createUrn(`${name}-alarms`, "gad:backup:BackupAlarms", scheduled);
}

/** Builds the platform of the stack whose resources are named from `name` (`gad-<stack>`). */
export function buildPlatform(name: string, config: PlatformConfig, tags: Tagger): Platform {
  const protect = config.protectStatefulResources;
  const network = new Network(name, {
    region: config.region,
    ...config.network,
    tags: tags("network"),
  });
  const cluster = new Cluster(name, { tags: tags("cluster") });
  const registry = new Registry(name, {
    region: config.region,
    ...config.ghcr,
    token: config.secrets.ghcrToken,
    tags: tags("registry"),
  });
  const database = new Database(`${name}-db`, {
    region: config.region,
    ...config.database,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    url: config.secrets.databaseUrl,
    protect,
    kmsKeyDeletionWindowDays: config.backup.kmsKeyDeletionWindowDays,
    tags: tags("database"),
  });
  const alarmTopic = new AlarmTopic(`${name}-alarms`, {
    emails: config.alarms.emails,
    formerParents: [formerAlarmTopicParent(name)],
    tags: tags("alarms"),
  });
  return { network, cluster, registry, database, alarmTopic };
}

/** The stack outputs an operator needs of the platform. */
export function platformOutputs(p: Platform) {
  return {
    alarmTopicArn: p.alarmTopic.topicArn,
    vpcId: p.network.vpcId,
    clusterName: p.cluster.clusterName,
    databaseAddress: p.database.address,
  };
}
