import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_LB_IDLE_TIMEOUT_SECONDS,
  DEFAULT_LB_WAF_RATE_LIMIT,
  DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS,
  DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
  DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
} from "../../rules/defaults";
import type { DomainConfig, RolloutConfig } from "../../rules/types";
import { Edge } from "./edge";
import { webAcl } from "./waf-rules";

/** TLS 1.3 with 1.2 as the floor: AWS's recommended policy for new listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the load balancer may reach targets there, on `targetPort` only. */
  readonly vpcCidr: string;
  /** Where an internet-facing load balancer (with a domain) lives. */
  readonly publicSubnetIds: pulumi.Input<string>[];
  /** Where an internal load balancer (without a domain, behind CloudFront) lives. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** Port the targets (the public service's tasks) listen on. */
  readonly targetPort: number;
  /** Health check path of the targets. */
  readonly healthPath: string;
  /**
   * HTTPS on this name, on an internet-facing load balancer. Absent: the load balancer is
   * internal and CloudFront serves HTTPS on its own name in front of it (edge.ts).
   */
  readonly domain?: DomainConfig;
  /** Health and deregistration timing. @default the DEFAULT_ROLLOUT_* constants */
  readonly rollout?: Partial<RolloutConfig>;
  /** @default DEFAULT_LB_IDLE_TIMEOUT_SECONDS (120) */
  readonly idleTimeoutSeconds?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** An AWS WAF web ACL in front. @default false */
  readonly waf?: boolean;
  /** @default DEFAULT_LB_WAF_RATE_LIMIT (2000 per 5 minutes per IP) */
  readonly wafRateLimit?: number;
  /**
   * Where access logs go (an AccessLogBucket); the load balancer waits for its policy.
   * @default no access logs
   */
  readonly accessLogs?: {
    readonly bucketName: pulumi.Input<string>;
    readonly prefix: string;
    readonly policy: pulumi.Resource;
  };
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The stack's public entry point, never plain HTTP on the internet. With a domain: an
 * internet-facing ALB that admits only 80 and 443, HTTPS with a modern TLS policy (HTTP
 * redirected), a certificate and alias record in Route 53 as needed, and a regional WAF. Without
 * one: an internal ALB that only the VPC reaches, behind CloudFront's HTTPS (an Edge, with the
 * WAF at CloudFront). Either way an IP target group health-checked for fast rollouts.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** `https://<domain>` or, without a domain, `https://<CloudFront's name>`. */
  public readonly url: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  public readonly https: boolean;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  /** CloudWatch dimensions (`app/...`, `targetgroup/...`). */
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  /** The HTTPS (or, without a domain, HTTP) listener that forwards to the targets. */
  public readonly listener: aws.lb.Listener;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:web:LoadBalancer", name, {}, opts);
    const idle = args.idleTimeoutSeconds ?? DEFAULT_LB_IDLE_TIMEOUT_SECONDS;
    if (!Number.isInteger(idle) || idle <= 30 || idle > 4000) {
      throw new pulumi.ResourceError(
        `LoadBalancer ${name}: idleTimeoutSeconds must be from 31 to 4000, above the application's 30 s WebSocket heartbeat (got ${idle})`,
        this,
        true,
      );
    }
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const internal = args.domain === undefined;
    const interval =
      args.rollout?.healthCheckIntervalSeconds ?? DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS;

    const sg = new aws.ec2.SecurityGroup(
      `${name}-lb`,
      {
        vpcId: args.vpcId,
        description: internal
          ? "Load balancer: HTTP from the CloudFront VPC origin in the VPC; the service port into the VPC"
          : "Load balancer: HTTP and HTTPS from anywhere; the service port into the VPC",
        tags: { ...tags, Name: `${name}-lb` },
      },
      parent,
    );
    // Internal: only the VPC reaches it, where CloudFront's VPC origin has its interfaces.
    for (const port of internal ? [80] : [80, 443]) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-lb-${port}`,
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: internal ? args.vpcCidr : "0.0.0.0/0",
          // EC2 refuses apostrophes in descriptions (rules/name-limits.ts).
          description: internal ? "CloudFront VPC origin" : `${port} from anywhere`,
        },
        parent,
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-lb-targets`,
      {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: args.targetPort,
        toPort: args.targetPort,
        cidrIpv4: args.vpcCidr,
        description: "The service tasks",
      },
      parent,
    );

    const alb = new aws.lb.LoadBalancer(
      name,
      {
        loadBalancerType: "application",
        internal,
        subnets: internal ? args.privateSubnetIds : args.publicSubnetIds,
        securityGroups: [sg.id],
        idleTimeout: idle,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection ?? false,
        ...(args.accessLogs
          ? {
              accessLogs: {
                bucket: args.accessLogs.bucketName,
                prefix: args.accessLogs.prefix,
                enabled: true,
              },
            }
          : {}),
        tags,
      },
      { parent: this, dependsOn: args.accessLogs ? [args.accessLogs.policy] : [] },
    );
    const targets = new aws.lb.TargetGroup(
      `${name}-targets`,
      {
        vpcId: args.vpcId,
        // <logical name>-xxxxxxx outgrows ELB's 32 characters (rules/name-limits.ts).
        namePrefix: "gad-",
        targetType: "ip",
        protocol: "HTTP",
        port: args.targetPort,
        deregistrationDelay:
          args.rollout?.deregistrationDelaySeconds ?? DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
        healthCheck: {
          path: args.healthPath,
          port: "traffic-port",
          protocol: "HTTP",
          matcher: "200",
          interval,
          timeout: Math.min(5, interval - 1),
          healthyThreshold: args.rollout?.healthyThreshold ?? DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
          unhealthyThreshold:
            args.rollout?.unhealthyThreshold ?? DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
        },
        tags,
      },
      parent,
    );
    const forward = [{ type: "forward", targetGroupArn: targets.arn }];

    const certificateArn = args.domain ? this.certificate(name, args.domain, tags) : undefined;
    let listener: aws.lb.Listener;
    if (certificateArn) {
      new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: alb.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            {
              type: "redirect",
              redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            },
          ],
          tags,
        },
        parent,
      );
      listener = new aws.lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: alb.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: TLS_POLICY,
          certificateArn,
          defaultActions: forward,
          tags,
        },
        parent,
      );
    } else {
      listener = new aws.lb.Listener(
        `${name}-http`,
        { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: forward, tags },
        parent,
      );
    }

    if (args.domain?.hostedZoneId) {
      new aws.route53.Record(
        `${name}-alias`,
        {
          zoneId: args.domain.hostedZoneId,
          name: args.domain.name,
          type: "A",
          aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
        },
        parent,
      );
    }
    const rateLimit = args.wafRateLimit ?? DEFAULT_LB_WAF_RATE_LIMIT;
    const edge = internal
      ? new Edge(
          name,
          {
            loadBalancerArn: alb.arn,
            loadBalancerDnsName: alb.dnsName,
            wafRateLimit: args.waf ? rateLimit : undefined,
            tags,
          },
          { parent: this, dependsOn: [listener] },
        )
      : undefined;
    if (args.waf && !edge) {
      const acl = webAcl(`${name}-waf`, "REGIONAL", rateLimit, tags, parent);
      new aws.wafv2.WebAclAssociation(
        `${name}-waf`,
        { resourceArn: alb.arn, webAclArn: acl.arn },
        parent,
      );
    }

    this.https = true;
    this.dnsName = alb.dnsName;
    this.url = edge ? edge.url : pulumi.output(`https://${(args.domain as DomainConfig).name}`);
    this.securityGroupId = sg.id;
    this.targetGroupArn = targets.arn;
    this.arnSuffix = alb.arnSuffix;
    this.targetGroupArnSuffix = targets.arnSuffix;
    this.listener = listener;
    this.registerOutputs({ url: this.url, dnsName: this.dnsName });
  }

  /** The given certificate, or a new one validated through DNS in the domain's zone. */
  private certificate(
    name: string,
    domain: DomainConfig,
    tags: Record<string, string>,
  ): pulumi.Output<string> {
    if (domain.certificateArn) return pulumi.output(domain.certificateArn);
    if (!domain.hostedZoneId) {
      throw new pulumi.ResourceError(
        `LoadBalancer ${name}: domain ${domain.name} needs hostedZoneId (to validate a certificate) or certificateArn`,
        this,
        true,
      );
    }
    const parent = { parent: this };
    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      { domainName: domain.name, validationMethod: "DNS", tags },
      parent,
    );
    const option = certificate.domainValidationOptions[0];
    const record = new aws.route53.Record(
      `${name}-certificate-validation`,
      {
        zoneId: domain.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      parent,
    );
    return new aws.acm.CertificateValidation(
      `${name}-certificate`,
      { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      parent,
    ).certificateArn;
  }
}
