// The stack's services, built from its configuration on its platform: every `gad:services`
// entry with its image pinned by digest, behind the load balancer when it is public.
import type * as pulumi from "@pulumi/pulumi";
import type {
  DomainConfig,
  LoadBalancerConfig,
  RolloutConfig,
  ServiceConfig,
} from "../../rules/types";
import type { ServiceSecretKey } from "../../rules/defaults";
import type { Platform, Tagger } from "../platform/build";
import { worstCaseRolloutSeconds } from "./rollout";
import { WebServices, serviceOutputs } from "./web-services";

/** The configuration the services are built from (a slice of the stack's). */
export interface ServicesConfig {
  readonly stack: string;
  readonly region: string;
  readonly services: readonly ServiceConfig[];
  readonly domain?: DomainConfig;
  readonly loadBalancer: LoadBalancerConfig;
  readonly rollout: RolloutConfig;
  readonly alarms: { readonly http5xxPercent: number; readonly latencyP95Milliseconds: number };
  /** Secret config values a service may name in its `secrets`. */
  readonly secrets: { readonly [K in ServiceSecretKey]?: pulumi.Input<string> };
}

/**
 * Builds the services of the stack named from `name` (`gad-<stack>`). Resolves every image tag
 * to a digest first: an unknown tag stops the run, naming the service.
 */
export async function buildServices(
  name: string,
  config: ServicesConfig,
  platform: Platform,
  tags: Tagger,
  databaseReady: pulumi.Resource[] = [],
): Promise<WebServices> {
  return new WebServices(name, {
    ...config,
    ...platform,
    databaseReady,
    registryCredentialsArn: platform.registry.credentialsSecretArn,
    images: await platform.registry.pinServices(config.services),
    secrets: { ...config.secrets },
    alarmTopicArn: platform.alarmTopic.topicArn,
    tags: tags("services"),
  });
}

/** The stack outputs an operator needs of the services. */
export function webOutputs(web: WebServices, rollout: RolloutConfig) {
  return {
    url: web.url,
    loadBalancerDnsName: web.loadBalancerDnsName,
    rolloutSeconds: worstCaseRolloutSeconds(rollout),
    services: serviceOutputs(web),
  };
}
