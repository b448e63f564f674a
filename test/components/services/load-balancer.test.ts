import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, installMocks, settle, valueOf } from "../../mocks";
import type * as LoadBalancerModule from "../../../components/services/load-balancer";

const LISTENER = "aws:lb/listener:Listener";

describe("LoadBalancer", () => {
  const mocks = new RecordingMocks();
  let mod: typeof LoadBalancerModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/services/load-balancer");
  });
  beforeEach(() => mocks.reset());

  function build(args: Partial<LoadBalancerModule.LoadBalancerArgs> = {}) {
    return new mod.LoadBalancer("web", {
      vpcId: "vpc-1",
      vpcCidr: "10.40.0.0/16",
      publicSubnetIds: ["subnet-a", "subnet-b"],
      privateSubnetIds: ["subnet-p1", "subnet-p2"],
      targetPort: 8000,
      healthPath: "/health",
      ...args,
    });
  }

  const DOMAIN = { name: "api.example.org", hostedZoneId: "Z123456789" };

  it("with a domain: admits only 80 and 443 from anywhere, and reaches only the target port in the VPC", async () => {
    build({ domain: DOMAIN });
    await settle();
    const ingress = mocks
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]);
    assert.deepEqual(ingress, [
      [80, 80, "0.0.0.0/0"],
      [443, 443, "0.0.0.0/0"],
    ]);
    const egress = mocks.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs;
    assert.deepEqual(
      [egress.fromPort, egress.toPort, egress.cidrIpv4],
      [8000, 8000, "10.40.0.0/16"],
    );
    assert.equal(mocks.one("aws:ec2/securityGroup:SecurityGroup").inputs.ingress, undefined);
  });

  it("with a domain: a public ALB, idle timeout above the WebSocket heartbeat, invalid headers dropped", async () => {
    build({ domain: DOMAIN, deletionProtection: true });
    await settle();
    const alb = mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    assert.deepEqual(
      [alb.internal, alb.idleTimeout, alb.dropInvalidHeaderFields, alb.enableDeletionProtection],
      [false, 120, true, true],
    );
    assert.deepEqual(alb.subnets, ["subnet-a", "subnet-b"]);
    assert.equal(mocks.ofType("aws:cloudfront/distribution:Distribution").length, 0);
  });

  it("target group: port 8000, /health, fast checks and a short deregistration delay", async () => {
    build();
    await settle();
    const tg = mocks.one("aws:lb/targetGroup:TargetGroup").inputs;
    assert.deepEqual(
      [tg.targetType, tg.port, tg.protocol, tg.deregistrationDelay],
      ["ip", 8000, "HTTP", 30],
    );
    assert.deepEqual(tg.healthCheck, {
      path: "/health",
      port: "traffic-port",
      protocol: "HTTP",
      matcher: "200",
      interval: 10,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
  });

  it("no domain: an internal ALB reached only through CloudFront's VPC origin, served over HTTPS on CloudFront's name", async () => {
    const lb = build();
    await settle();
    const alb = mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    assert.deepEqual([alb.internal, alb.subnets], [true, ["subnet-p1", "subnet-p2"]]);
    // Only CloudFront's VPC origin, whose interfaces are in the VPC, can reach an internal ALB.
    const ingress = mocks
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]);
    assert.deepEqual(ingress, [[80, 80, "10.40.0.0/16"]]);
    const [http] = mocks.ofType(LISTENER).map((l) => l.inputs);
    assert.equal(mocks.ofType(LISTENER).length, 1);
    assert.deepEqual(
      [http.port, http.protocol, http.defaultActions[0].type],
      [80, "HTTP", "forward"],
    );

    const origin = mocks.one("aws:cloudfront/vpcOrigin:VpcOrigin").inputs.vpcOriginEndpointConfig;
    assert.match(origin.arn, /loadbalancer\/app\/web\//);
    assert.deepEqual(
      [origin.httpPort, origin.httpsPort, origin.originProtocolPolicy, origin.originSslProtocols],
      [80, 443, "http-only", { items: ["TLSv1.2"], quantity: 1 }],
    );
    const cdn = mocks.one("aws:cloudfront/distribution:Distribution").inputs;
    assert.equal(cdn.enabled, true);
    assert.deepEqual(cdn.viewerCertificate, { cloudfrontDefaultCertificate: true });
    assert.equal(
      cdn.priceClass,
      "PriceClass_All",
      "edges in South America serve sa-east-1's users",
    );
    const [o] = cdn.origins;
    assert.equal(o.domainName, "web-1234567890.sa-east-1.elb.amazonaws.com");
    assert.equal(o.vpcOriginConfig.vpcOriginId, "web-origin-id");
    assert.equal(o.vpcOriginConfig.originReadTimeout, 60, "above the 30 s WebSocket heartbeat");
    const behavior = cdn.defaultCacheBehavior;
    assert.deepEqual(
      [behavior.targetOriginId, behavior.viewerProtocolPolicy, behavior.allowedMethods.length],
      [o.originId, "redirect-to-https", 7],
    );
    // An API: nothing cached, every viewer header (WebSocket's upgrade headers among them) forwarded.
    assert.equal(behavior.cachePolicyId, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    assert.equal(behavior.originRequestPolicyId, "216adef6-5c7f-47e4-b989-5492eafa07d3");
    assert.equal(lb.https, true);
    assert.equal(await valueOf(lb.url), "https://d111111abcdef8.cloudfront.net");
    assert.equal(mocks.ofType("aws:acm/certificate:Certificate").length, 0);
  });

  it("no domain, WAF: the web ACL sits at CloudFront (scope CLOUDFRONT, in us-east-1), where client IPs are seen", async () => {
    build({ waf: true, wafRateLimit: 500 });
    await settle();
    const acl = mocks.one("aws:wafv2/webAcl:WebAcl");
    assert.equal(acl.inputs.scope, "CLOUDFRONT");
    assert.equal(mocks.one("pulumi:providers:aws").inputs.region, "us-east-1");
    assert.equal(mocks.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").length, 0);
    const cdn = mocks.one("aws:cloudfront/distribution:Distribution").inputs;
    assert.equal(cdn.webAclId, acl.state.arn);
  });

  it("a domain with a zone: a DNS-validated certificate, HTTPS with TLS 1.2+, HTTP redirected, an alias", async () => {
    const lb = build({ domain: { name: "api.example.org", hostedZoneId: "Z123456789" } });
    await settle();
    const cert = mocks.one("aws:acm/certificate:Certificate").inputs;
    assert.deepEqual([cert.domainName, cert.validationMethod], ["api.example.org", "DNS"]);
    const records = mocks.ofType("aws:route53/record:Record").map((r) => r.inputs);
    assert.deepEqual(
      records.map((r) => [r.name, r.type, r.zoneId]),
      [
        ["_x1.api.example.org.", "CNAME", "Z123456789"],
        ["api.example.org", "A", "Z123456789"],
      ],
    );
    assert.deepEqual(records[1].aliases, [
      {
        name: "web-1234567890.sa-east-1.elb.amazonaws.com",
        zoneId: "Z2P70J7HTTTPLU",
        evaluateTargetHealth: true,
      },
    ]);
    const [http, https] = mocks.ofType(LISTENER).map((l) => l.inputs);
    assert.deepEqual(http.defaultActions, [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ]);
    assert.deepEqual(
      [https.port, https.protocol, https.sslPolicy],
      [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"],
    );
    assert.equal(
      https.certificateArn,
      "arn:aws:acm:sa-east-1:123456789012:certificate/web-certificate",
    );
    assert.equal(https.defaultActions[0].type, "forward");
    assert.equal(lb.https, true);
    assert.equal(await valueOf(lb.url), "https://api.example.org");
  });

  it("an existing certificate is used as given, and no record is written without a zone", async () => {
    const arn = "arn:aws:acm:sa-east-1:123456789012:certificate/0000-1111";
    build({ domain: { name: "api.example.org", certificateArn: arn } });
    await settle();
    assert.equal(mocks.ofType("aws:acm/certificate:Certificate").length, 0);
    assert.equal(mocks.ofType("aws:route53/record:Record").length, 0);
    assert.equal(mocks.ofType(LISTENER)[1].inputs.certificateArn, arn);
  });

  it("with a domain, WAF: managed common and bad-input rules, a per-IP rate limit, attached to the ALB", async () => {
    build({ domain: DOMAIN, waf: true, wafRateLimit: 500 });
    await settle();
    const acl = mocks.one("aws:wafv2/webAcl:WebAcl").inputs;
    assert.equal(acl.scope, "REGIONAL");
    assert.deepEqual(
      acl.rules.map((r: { name: string; priority: number }) => [r.name, r.priority]),
      [
        ["AWSManagedRulesCommonRuleSet", 1],
        ["AWSManagedRulesKnownBadInputsRuleSet", 2],
        ["rate-limit-per-ip", 3],
      ],
    );
    assert.deepEqual(acl.rules[2].statement.rateBasedStatement, {
      limit: 500,
      aggregateKeyType: "IP",
    });
    assert.deepEqual(acl.rules[2].action, { block: {} });
    const association = mocks.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs;
    assert.match(association.resourceArn, /loadbalancer\/app\/web\//);
  });

  it("newer regions' log delivery is a service principal", async () => {
    const { accessLogBucketPolicy } = await import("../../../components/services/access-logs");
    assert.deepEqual(
      accessLogBucketPolicy("arn:aws:s3:::logs", "alb", "123456789012", "mx-central-1").Statement[1]
        .Principal,
      { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
    );
  });

  it("refuses an idle timeout at or below the WebSocket heartbeat", () => {
    assert.throws(
      () => build({ idleTimeoutSeconds: 30 }),
      (e: unknown) =>
        e instanceof pulumi.ResourceError &&
        /idleTimeoutSeconds must be from 31 to 4000, above the application's 30 s WebSocket heartbeat \(got 30\)/.test(
          e.message,
        ),
    );
  });
});
