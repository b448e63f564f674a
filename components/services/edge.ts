// CloudFront in front of an internal load balancer: HTTPS on CloudFront's own name for a stack
// without a domain, so the API is never served over plain HTTP on the internet.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { webAcl } from "./waf-rules";

/**
 * AWS's managed policies for an API behind CloudFront: nothing cached, every viewer header
 * forwarded (WebSocket's Sec-WebSocket-Key and -Version among them). IDs from the CloudFront
 * Developer Guide, "Use managed cache policies" (CachingDisabled) and "Use managed origin
 * request policies" (AllViewer); "Using WebSockets with CloudFront distributions".
 */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID = "216adef6-5c7f-47e4-b989-5492eafa07d3";
/**
 * Seconds CloudFront waits on the origin, above the application's 30 s WebSocket heartbeat; 60 is
 * the most without a quota increase (CloudFront Developer Guide, "Response timeout").
 */
export const EDGE_ORIGIN_READ_TIMEOUT_SECONDS = 60;

export interface EdgeArgs {
  /** The internal Application Load Balancer (in private subnets) CloudFront forwards to. */
  readonly loadBalancerArn: pulumi.Input<string>;
  readonly loadBalancerDnsName: pulumi.Input<string>;
  /** A CLOUDFRONT-scoped web ACL in front (created in us-east-1). @default no WAF */
  readonly wafRateLimit?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A CloudFront distribution on its default certificate (`https://<id>.cloudfront.net`, HTTP
 * redirected), reaching the load balancer through a VPC origin: the load balancer stays internal,
 * with no public address, and CloudFront is the only way in ("Restrict access with VPC origins",
 * CloudFront Developer Guide; WebSockets through VPC origins since May 2026).
 */
export class Edge extends pulumi.ComponentResource {
  /** `https://<distribution domain>`. */
  public readonly url: pulumi.Output<string>;
  public readonly domainName: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:web:Edge", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const origin = new aws.cloudfront.VpcOrigin(
      `${name}-origin`,
      {
        vpcOriginEndpointConfig: {
          name: `${name}-origin`,
          arn: args.loadBalancerArn,
          httpPort: 80,
          httpsPort: 443,
          // Inside the VPC, to a load balancer without a certificate of its own.
          originProtocolPolicy: "http-only",
          originSslProtocols: { items: ["TLSv1.2"], quantity: 1 },
        },
        tags,
      },
      parent,
    );
    const acl =
      args.wafRateLimit !== undefined
        ? webAcl(`${name}-waf`, "CLOUDFRONT", args.wafRateLimit, tags, {
            parent: this,
            provider: new aws.Provider(`${name}-us-east-1`, { region: "us-east-1" }, parent),
          })
        : undefined;
    const originId = "load-balancer";
    const distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: `${name}: HTTPS in front of the internal load balancer`,
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        // South America's edges are only in PriceClass_All (CloudFront pricing, price classes).
        priceClass: "PriceClass_All",
        origins: [
          {
            originId,
            domainName: args.loadBalancerDnsName,
            vpcOriginConfig: {
              vpcOriginId: origin.id,
              originReadTimeout: EDGE_ORIGIN_READ_TIMEOUT_SECONDS,
            },
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: originId,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: CACHING_DISABLED_POLICY_ID,
          originRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
          compress: true,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
        ...(acl ? { webAclId: acl.arn } : {}),
        tags,
      },
      parent,
    );
    this.domainName = distribution.domainName;
    this.url = pulumi.interpolate`https://${distribution.domainName}`;
    this.registerOutputs({ url: this.url });
  }
}
