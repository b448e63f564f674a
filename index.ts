// Composition root of the `gad` program: load the stack's configuration, build the components,
// export what operators and the later stages (workflows, GitHub environments) need.
import { load } from "./config/load";
import { BackupBucket } from "./components/backups/bucket";
import { Cluster } from "./components/platform/cluster";
import { Database } from "./components/platform/database";
import { Network } from "./components/platform/network";
import { Registry } from "./components/platform/registry";
import { ScheduledBackup } from "./components/backups/scheduled-backup";
import { WebServices, serviceOutputs } from "./components/services/web-services";
import { connectGithub } from "./components/github/integration";
import { worstCaseRolloutSeconds } from "./components/services/rollout";

export = async () => {
  const config = load();
  const { stack, region, backup } = config;
  const name = `gad-${stack}`;
  const tags = (component: string) => ({ project: "gad", stack, component });
  const protect = config.protectStatefulResources;

  const backups = new BackupBucket(`${name}-backups`, {
    ...backup,
    protect,
    tags: tags("backups"),
  });
  const network = new Network(name, { region, ...config.network, tags: tags("network") });
  const cluster = new Cluster(name, { tags: tags("cluster") });
  const token = config.secrets.ghcrToken;
  const registry = new Registry(name, { ...config.ghcr, token, tags: tags("registry") });
  const database = new Database(`${name}-db`, {
    ...config.database,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    url: config.secrets.databaseUrl,
    protect,
    kmsKeyDeletionWindowDays: backup.kmsKeyDeletionWindowDays,
    tags: tags("database"),
  });
  const registryCredentialsArn = registry.credentialsSecretArn;
  const scheduled = new ScheduledBackup(name, {
    ...config,
    network,
    cluster,
    database,
    registryCredentialsArn,
    bucket: backups,
    images: {
      job: await registry.pin("backup job", backup.image),
      drillDatabase: await registry.pin("drill database", config.drill.databaseImage),
    },
    alarmEmails: config.alarms.emails,
    tags: tags("backups"),
  });
  const web = new WebServices(name, {
    ...config,
    network,
    cluster,
    database,
    registryCredentialsArn,
    images: await registry.pinServices(config.services),
    secrets: { ...config.secrets },
    alarmTopicArn: scheduled.alarmTopicArn,
    tags: tags("services"),
  });

  await connectGithub(name, {
    ...config,
    cluster,
    services: web.services,
    appUrl: web.url,
    backupBucket: backups,
    tags: tags("github"),
  });

  return {
    url: web.url,
    loadBalancerDnsName: web.loadBalancerDnsName,
    rolloutSeconds: worstCaseRolloutSeconds(config.rollout),
    services: serviceOutputs(web),
    region,
    backupBucketName: backups.bucketName,
    backupBucketArn: backups.bucketArn,
    backupKmsKeyArn: backups.kmsKeyArn,
    backupPrefix: backups.backupPrefix,
    backupRpoHours: scheduled.rpoHours,
    backupFreshnessWindowHours: scheduled.freshnessWindowHours,
    runBackupCommand: scheduled.runBackupCommand,
    runDrillCommand: scheduled.runDrillCommand,
    alarmTopicArn: scheduled.alarmTopicArn,
    vpcId: network.vpcId,
    clusterName: cluster.clusterName,
    databaseAddress: database.address,
  };
};
