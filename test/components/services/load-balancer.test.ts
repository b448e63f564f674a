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
      targetPort: 8000,
      healthPath: "/health",
      ...args,
    });
  }

  it("admits only 80 and 443 from anywhere, and reaches only the target port in the VPC", async () => {
    build();
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

  it("public ALB: idle timeout above the WebSocket heartbeat, invalid headers dropped", async () => {
    build({ deletionProtection: true });
    await settle();
    const alb = mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    assert.deepEqual(
      [alb.internal, alb.idleTimeout, alb.dropInvalidHeaderFields, alb.enableDeletionProtection],
      [false, 120, true, true],
    );
    assert.deepEqual(alb.subnets, ["subnet-a", "subnet-b"]);
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

  it("no domain: plain HTTP forwarding on the load balancer's own name, said in the URL", async () => {
    const lb = build();
    await settle();
    const [http] = mocks.ofType(LISTENER).map((l) => l.inputs);
    assert.equal(mocks.ofType(LISTENER).length, 1);
    assert.deepEqual(
      [http.port, http.protocol, http.defaultActions[0].type],
      [80, "HTTP", "forward"],
    );
    assert.equal(lb.https, false);
    assert.equal(await valueOf(lb.url), "http://web-1234567890.sa-east-1.elb.amazonaws.com");
    assert.equal(mocks.ofType("aws:acm/certificate:Certificate").length, 0);
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

  it("WAF: managed common and bad-input rules, a per-IP rate limit, attached to the ALB", async () => {
    build({ waf: true, wafRateLimit: 500 });
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
