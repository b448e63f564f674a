// The keys of the public entry point: domain and certificate (`domain.*`), the load balancer
// (`loadBalancer.*`), how fast a new image goes live (`rollout.*`) and the service alarms.
// Part of CONFIG_KEYS (schema.ts).
import type { ConfigKeySpec } from "./schema";
import {
  DEFAULT_ALARM_HTTP_5XX_PERCENT,
  DEFAULT_ALARM_LATENCY_P95_MS,
  DEFAULT_DOMAIN_CERTIFICATE_ARN,
  DEFAULT_DOMAIN_HOSTED_ZONE_ID,
  DEFAULT_DOMAIN_NAME,
  DEFAULT_LB_ACCESS_LOG_RETENTION_DAYS,
  DEFAULT_LB_ACCESS_LOGS,
  DEFAULT_LB_DELETION_PROTECTION,
  DEFAULT_LB_IDLE_TIMEOUT_SECONDS,
  DEFAULT_LB_WAF,
  DEFAULT_LB_WAF_RATE_LIMIT,
  DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_ROLLOUT_HEALTH_CHECK_GRACE_SECONDS,
  DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS,
  DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
  DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
} from "../rules/defaults";

export const SERVICE_KEYS: Readonly<Record<string, ConfigKeySpec>> = {
  "domain.name": {
    type: "string",
    default: DEFAULT_DOMAIN_NAME,
    description:
      "Host name of the public service (e.g. api.example.org). Empty: HTTPS on CloudFront's name in front of an internal load balancer, no certificate to manage.",
  },
  "domain.hostedZoneId": {
    type: "string",
    default: DEFAULT_DOMAIN_HOSTED_ZONE_ID,
    description:
      "Route 53 hosted zone of `domain.name`: the certificate is validated and the alias record created there. Empty: you create the DNS record and validate the certificate yourself (or set `domain.certificateArn`).",
  },
  "domain.certificateArn": {
    type: "string",
    default: DEFAULT_DOMAIN_CERTIFICATE_ARN,
    description:
      "An existing ACM certificate (same region) for `domain.name`. Empty: the program requests one, validated through `domain.hostedZoneId`.",
  },
  "loadBalancer.idleTimeoutSeconds": {
    type: "integer",
    default: DEFAULT_LB_IDLE_TIMEOUT_SECONDS,
    description:
      "Seconds an idle connection stays open; above the application's 30 s WebSocket heartbeat.",
  },
  "loadBalancer.deletionProtection": {
    type: "boolean",
    default: DEFAULT_LB_DELETION_PROTECTION,
    description:
      "Refuse to delete the load balancer until this is turned off. Set true in production.",
  },
  "loadBalancer.waf": {
    type: "boolean",
    default: DEFAULT_LB_WAF,
    description:
      "An AWS WAF web ACL on the load balancer: AWS managed common and known-bad-inputs rules and a per-IP rate limit.",
  },
  "loadBalancer.wafRateLimit": {
    type: "integer",
    default: DEFAULT_LB_WAF_RATE_LIMIT,
    description:
      "Requests per 5 minutes from one IP address before the WAF blocks it (100 or more).",
  },
  "loadBalancer.accessLogs": {
    type: "boolean",
    default: DEFAULT_LB_ACCESS_LOGS,
    description: "Write the load balancer's access logs to an S3 bucket of their own (SSE-S3).",
  },
  "loadBalancer.accessLogRetentionDays": {
    type: "integer",
    default: DEFAULT_LB_ACCESS_LOG_RETENTION_DAYS,
    description: "Days access logs are kept.",
  },
  "rollout.healthCheckIntervalSeconds": {
    type: "integer",
    default: DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS,
    description: "Seconds between the load balancer's health checks of each task (5-300).",
  },
  "rollout.healthyThreshold": {
    type: "integer",
    default: DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
    description: "Consecutive passed checks before a new task receives traffic (2-10).",
  },
  "rollout.unhealthyThreshold": {
    type: "integer",
    default: DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
    description: "Consecutive failed checks before a task is taken out of service (2-10).",
  },
  "rollout.deregistrationDelaySeconds": {
    type: "integer",
    default: DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
    description: "Seconds an old task keeps finishing its requests before it stops (0-3600).",
  },
  "rollout.healthCheckGracePeriodSeconds": {
    type: "integer",
    default: DEFAULT_ROLLOUT_HEALTH_CHECK_GRACE_SECONDS,
    description:
      "Seconds ECS ignores failed health checks of a starting task (start-up, connections to the database).",
  },
  "alarms.http5xxPercent": {
    type: "integer",
    default: DEFAULT_ALARM_HTTP_5XX_PERCENT,
    description: "Alarm when more than this percentage of requests fail with 5xx over 5 minutes.",
  },
  "alarms.latencyP95Milliseconds": {
    type: "integer",
    default: DEFAULT_ALARM_LATENCY_P95_MS,
    description: "Alarm when the 95th percentile response time stays above this for 10 minutes.",
  },
};
