// The services each committed stack runs, under mocks: what a deploy rolls and who may reach it.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { digestOf, programCalls, valueOf } from "./mocks";
import { useProgram } from "./support/program";
import { committedStacks, readYaml } from "./support/stack-files";

const REGISTRY_IMAGE = "docker:index/getRegistryImage:getRegistryImage";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

type ServiceFile = Record<
  string,
  { image: string; imageTag: string; minCount: number; maxCount: number }
>;
const servicesOf = (stack: string) =>
  (readYaml(`Pulumi.${stack}.yaml`) as { config: Record<string, unknown> }).config[
    "gad:services"
  ] as ServiceFile;

const vpcCidrOf = (stack: string) =>
  (readYaml(`Pulumi.${stack}.yaml`) as { config: Record<string, string> }).config[
    "gad:network.vpcCidr"
  ];

describe("committed stacks: services", () => {
  const { mocks, run } = useProgram();

  const api = (stack: string) =>
    JSON.parse(
      mocks.named("aws:ecs/taskDefinition:TaskDefinition", `gad-${stack}-api`).inputs
        .containerDefinitions,
    )[0];

  for (const stack of committedStacks()) {
    const file = servicesOf(stack);

    it(`${stack}: runs the digest of the configured tag, and says so in the outputs`, async () => {
      const outputs = await run(stack);
      const name = `${file.api.image}:${file.api.imageTag}`;
      const pinned = `${file.api.image}@${digestOf(name)}`;
      assert.equal(api(stack).image, pinned);
      assert.equal(api(stack).user, "app", "the application's own non-root user");
      const services = outputs.services as Record<string, { image: string }>;
      assert.equal(services.api.image, pinned);
      assert.match(
        await valueOf(outputs.url as pulumi.Output<string>),
        /^https:\/\/d[a-z0-9]+\.cloudfront\.net$/,
        "no domain: HTTPS on CloudFront's name, never plain HTTP",
      );
      // Nothing on the internet speaks plain HTTP: the load balancer is internal, behind CloudFront.
      const alb = mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs;
      assert.equal(alb.internal, true);
      const cdn = mocks.one("aws:cloudfront/distribution:Distribution").inputs;
      assert.equal(cdn.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
      assert.ok((outputs.rolloutSeconds as number) < 180);
    });

    it(`${stack}: health check on /health at port 8000; autoscaling bounds from the stack file`, async () => {
      await run(stack);
      const tg = mocks.one("aws:lb/targetGroup:TargetGroup").inputs;
      assert.deepEqual([tg.port, tg.healthCheck.path], [8000, "/health"]);
      const service = mocks.named("aws:ecs/service:Service", `gad-${stack}-api`).inputs;
      assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
      const target = mocks.ofType("aws:appautoscaling/target:Target")[0]?.inputs;
      assert.deepEqual(
        [target?.minCapacity, target?.maxCapacity],
        [file.api.minCount, file.api.maxCount],
      );
    });

    it(`${stack}: nothing admits the internet: the load balancer only the VPC (CloudFront's VPC origin), the service only the load balancer, the database only services and backups`, async () => {
      await run(stack);
      const rules = mocks
        .ofType(INGRESS)
        .map((r) => [
          r.name,
          r.inputs.fromPort,
          r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId,
        ]);
      assert.deepEqual(rules.sort(), [
        [`gad-${stack}-api-from-lb`, 8000, `gad-${stack}-lb-id`],
        [`gad-${stack}-db-from-api`, 5432, `gad-${stack}-api-tasks-id`],
        [`gad-${stack}-db-from-backup`, 5432, `gad-${stack}-backup-id`],
        [`gad-${stack}-lb-80`, 80, vpcCidrOf(stack)],
      ]);
    });

    it(`${stack}: the migration gate waits for the routes out, and the service for the gate`, async () => {
      await run(stack);
      const gate = mocks.named("pulumi-nodejs:dynamic:Resource", `gad-${stack}-api-migrate`);
      for (const route of [`gad-${stack}-private-1-default`, `gad-${stack}-private-2-default`]) {
        assert.ok(
          gate.dependsOn.some((urn) => urn.endsWith(`::${route}`)),
          route,
        );
      }
      const service = mocks.named("aws:ecs/service:Service", `gad-${stack}-api`);
      assert.ok(service.dependsOn.some((urn) => urn.endsWith(`::gad-${stack}-api-migrate`)));
      // Both connect as the application: its role is provisioned first.
      for (const waiter of [gate, service])
        assert.ok(
          waiter.dependsOn.some((urn) => urn.endsWith(`::gad-${stack}-provision`)),
          waiter.name,
        );
      const provision = mocks.named("pulumi-nodejs:dynamic:Resource", `gad-${stack}-provision`);
      assert.equal(provision.inputs.containerName, "provision");
    });

    it(`${stack}: the service registers its targets only after the forwarding listener exists`, async () => {
      await run(stack);
      // Until a listener forwards to it, the target group has no load balancer and ECS refuses
      // the service ("target group ... does not have an associated load balancer").
      const forwarding = mocks
        .ofType("aws:lb/listener:Listener")
        .filter((l) => l.inputs.defaultActions.some((a: { type: string }) => a.type === "forward"));
      assert.equal(forwarding.length, 1);
      const service = mocks.named("aws:ecs/service:Service", `gad-${stack}-api`);
      assert.ok(service.dependsOn.includes(forwarding[0].urn), service.dependsOn.join("\n"));
    });

    it(`${stack}: every secret a container gets is a Secrets Manager reference`, async () => {
      await run(stack);
      for (const definition of mocks.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
        for (const c of JSON.parse(definition.inputs.containerDefinitions)) {
          for (const s of c.secrets ?? [])
            assert.match(s.valueFrom, /^arn:aws:secretsmanager:/, definition.name);
          for (const e of c.environment ?? []) {
            assert.doesNotMatch(
              e.name,
              /PASSWORD|SECRET|DATABASE_URL/,
              `${definition.name}: ${e.name}`,
            );
            assert.doesNotMatch(
              e.value,
              /test-appSecretKey-value|test-ghcrToken-value/,
              definition.name,
            );
          }
        }
      }
    });
  }

  it("production: WAF in front and deletion protection on the load balancer; staging: neither", async () => {
    await run("production");
    assert.equal(
      mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection,
      true,
    );
    assert.equal(mocks.ofType("aws:wafv2/webAcl:WebAcl").length, 1);
    mocks.reset();
    await run("staging");
    assert.equal(
      mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection,
      false,
    );
    assert.equal(mocks.ofType("aws:wafv2/webAcl:WebAcl").length, 0);
  });

  it("production: access logs to a private SSE-S3 bucket the region's load balancer log writer may fill", async () => {
    await run("production");
    const alb = mocks.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    assert.deepEqual(alb.accessLogs, {
      bucket: "gad-production-lb-logs-a1b2c3d",
      prefix: "alb",
      enabled: true,
    });
    const policy = JSON.parse(
      mocks.named("aws:s3/bucketPolicy:BucketPolicy", "gad-production-lb-logs").inputs.policy,
    );
    assert.deepEqual(policy.Statement[1], {
      Sid: "LoadBalancerWritesLogs",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::507241528517:root" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::gad-production-lb-logs-a1b2c3d/alb/AWSLogs/123456789012/*",
    });
    const sse = mocks.named(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "gad-production-lb-logs",
    ).inputs;
    assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
  });

  it("a domain with a zone turns on HTTPS with a validated certificate and an alias record", async () => {
    const outputs = await run("staging", {
      "gad:domain.name": "staging.grupogad.example.org",
      "gad:domain.hostedZoneId": "Z0123456789ABC",
    });
    assert.equal(
      await valueOf(outputs.url as pulumi.Output<string>),
      "https://staging.grupogad.example.org",
    );
    const listeners = mocks
      .ofType("aws:lb/listener:Listener")
      .map((l) => [l.inputs.port, l.inputs.defaultActions[0].type]);
    assert.deepEqual(listeners, [
      [80, "redirect"],
      [443, "forward"],
    ]);
  });

  it("a second service without a port is configuration only: no load balancer of its own", async () => {
    const staging = servicesOf("staging");
    const outputs = await run("staging", {
      "gad:services": {
        ...staging,
        bot: { image: "ghcr.io/eevans-d/grupo_gad/bot", imageTag: "1.0.0" },
      },
    });
    const bot = mocks.named("aws:ecs/service:Service", "gad-staging-bot").inputs;
    assert.equal(bot.loadBalancers, undefined);
    assert.equal(mocks.ofType("aws:lb/loadBalancer:LoadBalancer").length, 1);
    assert.equal(mocks.ofType("aws:lb/targetGroup:TargetGroup").length, 1);
    const services = outputs.services as Record<string, { image: string }>;
    assert.equal(
      services.bot.image,
      `ghcr.io/eevans-d/grupo_gad/bot@${digestOf("ghcr.io/eevans-d/grupo_gad/bot:1.0.0")}`,
    );
  });

  it("a service tag that does not resolve fails the run, naming the service, image and tag", async () => {
    mocks.calls[REGISTRY_IMAGE] = (inputs) => {
      if (String(inputs.name).endsWith(":9.9.9"))
        throw Object.assign(new Error("x"), { details: "manifest unknown" });
      return programCalls()[REGISTRY_IMAGE](inputs);
    };
    const staging = servicesOf("staging");
    await assert.rejects(
      run("staging", { "gad:services": { api: { ...staging.api, imageTag: "9.9.9" } } }),
      (err: unknown) => {
        assert.ok(err instanceof pulumi.RunError, String(err));
        assert.match(
          err.message,
          /^service api: image ghcr.io\/eevans-d\/grupo_gad\/api:9.9.9 could not be resolved to a digest \(manifest unknown\)/,
        );
        return true;
      },
    );
  });
});
