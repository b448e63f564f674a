import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "../platform/cluster";
import type {
  DomainConfig,
  LoadBalancerConfig,
  RolloutConfig,
  ServiceConfig,
} from "../../rules/types";
import type { Database } from "../platform/database";
import { AccessLogBucket } from "./access-logs";
import { SecretValue } from "../secret-value";
import { GhcrService } from "./ghcr-service";
import { LoadBalancer } from "./load-balancer";
import type { NetworkRef } from "../platform/network";

export interface WebServicesArgs {
  readonly stack: string;
  readonly region: string;
  readonly services: readonly ServiceConfig[];
  /** Service name → `repository@sha256:...` (Registry.pin, awaited before). */
  readonly images: Readonly<Record<string, string>>;
  readonly registryCredentialsArn: pulumi.Input<string>;
  readonly cluster: ClusterRef;
  readonly network: NetworkRef & {
    readonly vpcCidr: string;
    readonly publicSubnetIds: pulumi.Input<string>[];
    readonly privateSubnetIds: pulumi.Input<string>[];
  };
  readonly database: Database;
  /** What must finish before anything connects as the application (BackupTasks.appRoleReady). */
  readonly databaseReady?: pulumi.Resource[];
  /** Secret config values by key (appSecretKey, redisUrl); stored in Secrets Manager. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string> | undefined>>;
  readonly domain?: DomainConfig;
  readonly loadBalancer: LoadBalancerConfig;
  readonly rollout: RolloutConfig;
  /** The stack's alarm topic, and the service alarms' thresholds. */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly alarms: { readonly http5xxPercent: number; readonly latencyP95Milliseconds: number };
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The stack's services: the secrets they name in Secrets Manager, the load balancer in front of
 * the public one, and a GhcrService each.
 */
export class WebServices extends pulumi.ComponentResource {
  /** The public URL, when a service is public. */
  public readonly url?: pulumi.Output<string>;
  public readonly loadBalancerDnsName?: pulumi.Output<string>;
  public readonly https: boolean;
  public readonly services: Readonly<Record<string, GhcrService>>;
  /** Service name → the image it runs, `repository@sha256:...`. */
  public readonly images: Readonly<Record<string, string>>;

  constructor(name: string, args: WebServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:web:WebServices", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };

    // One Secrets Manager secret per secret config key any service names.
    const used = [...new Set(args.services.flatMap((s) => Object.values(s.secrets)))].sort();
    const secretArns: Record<string, pulumi.Output<string>> = {};
    for (const key of used) {
      const value = args.secrets[key];
      if (value === undefined) {
        throw new pulumi.ResourceError(
          `WebServices ${name}: secret ${key} has no value`,
          this,
          true,
        );
      }
      const secret = new aws.secretsmanager.Secret(
        `${name}-${key}`,
        { description: `${key} of the ${args.stack} services`, recoveryWindowInDays: 7, tags },
        parent,
      );
      new SecretValue(
        `${name}-${key}`,
        { region: args.region, secretId: secret.arn, secretString: value },
        parent,
      );
      secretArns[key] = secret.arn;
    }

    const exposed = args.services.find((s) => s.public);
    const { accessLogs, accessLogRetentionDays, ...lbSettings } = args.loadBalancer;
    const logBucket =
      exposed && accessLogs
        ? new AccessLogBucket(
            `${name}-lb-logs`,
            {
              region: args.region,
              accountArn: args.cluster.clusterArn,
              retentionDays: accessLogRetentionDays,
              prefix: "alb",
              tags,
            },
            parent,
          )
        : undefined;
    const lb =
      exposed && exposed.port !== undefined
        ? new LoadBalancer(
            name,
            {
              vpcId: args.network.vpcId,
              vpcCidr: args.network.vpcCidr,
              publicSubnetIds: args.network.publicSubnetIds,
              privateSubnetIds: args.network.privateSubnetIds,
              targetPort: exposed.port,
              healthPath: exposed.healthPath,
              domain: args.domain,
              rollout: args.rollout,
              ...lbSettings,
              accessLogs: logBucket,
              tags,
            },
            parent,
          )
        : undefined;

    const services: Record<string, GhcrService> = {};
    for (const service of args.services) {
      services[service.name] = new GhcrService(
        `${name}-${service.name}`,
        {
          stack: args.stack,
          region: args.region,
          service,
          image: args.images[service.name],
          registryCredentialsArn: args.registryCredentialsArn,
          cluster: args.cluster,
          network: args.network,
          database: args.database,
          databaseReady: args.databaseReady,
          secretArns: Object.fromEntries(
            Object.entries(service.secrets).map(([variable, key]) => [variable, secretArns[key]]),
          ),
          loadBalancer: service.public ? lb : undefined,
          rollout: args.rollout,
          alarms: { ...args.alarms, topicArn: args.alarmTopicArn },
          tags: { ...tags, service: service.name },
        },
        parent,
      );
    }
    this.services = services;
    this.images = args.images;
    this.https = lb?.https ?? false;
    this.url = lb?.url;
    this.loadBalancerDnsName = lb?.dnsName;
    this.registerOutputs({ url: this.url });
  }
}

/** Per service, what the deploy workflow and operators need: names, ARNs, digest, commands. */
export function serviceOutputs(web: WebServices) {
  return Object.fromEntries(
    Object.entries(web.services).map(([service, s]) => [
      service,
      {
        image: web.images[service],
        serviceName: s.serviceName,
        taskDefinitionArn: s.taskDefinitionArn,
        migrationTaskDefinitionArn: s.migrationTaskDefinitionArn,
        runMigrationCommand: s.runMigrationCommand,
      },
    ]),
  );
}
