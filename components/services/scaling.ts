// Target tracking for a service: CPU always, requests per target for the public one.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig } from "../../rules/types";
import type { LoadBalancerRef } from "./ghcr-service-args";

/** Target tracking on CPU, and on requests per target for the public service. */
export function autoscaleService(
  name: string,
  s: ServiceConfig,
  clusterName: pulumi.Input<string>,
  service: aws.ecs.Service,
  lb: LoadBalancerRef | undefined,
  parent: pulumi.ComponentResource,
): void {
  const opts = { parent };
  const target = new aws.appautoscaling.Target(
    `${name}-scaling`,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${clusterName}/${service.name}`,
      minCapacity: s.autoscaling.minCount,
      maxCapacity: s.autoscaling.maxCount,
    },
    opts,
  );
  const policy = (
    id: string,
    metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    value: number,
  ) =>
    new aws.appautoscaling.Policy(
      `${name}-${id}`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
          predefinedMetricSpecification: metric,
        },
      },
      opts,
    );
  policy(
    "cpu",
    { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
    s.autoscaling.cpuTarget,
  );
  if (lb && s.autoscaling.requestsPerTarget > 0) {
    policy(
      "requests",
      {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: pulumi.interpolate`${lb.arnSuffix}/${lb.targetGroupArnSuffix}`,
      },
      s.autoscaling.requestsPerTarget,
    );
  }
}
