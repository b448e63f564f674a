import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, installMocks, settle, valueOf } from "../../mocks";
import type * as ServiceModule from "../../../components/services/ghcr-service";
import type * as DatabaseModule from "../../../components/platform/database";
import type { ServiceConfig } from "../../../rules/types";

const ACCOUNT = "123456789012";
const CLUSTER = `arn:aws:ecs:sa-east-1:${ACCOUNT}:cluster/gad-test`;
const EXEC_LOGS = `arn:aws:logs:sa-east-1:${ACCOUNT}:log-group:gad-test-exec`;
const IMAGE = `ghcr.io/eevans-d/grupo_gad/api@sha256:${"b".repeat(64)}`;
const CREDENTIALS = `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:ghcr-AbCdEf`;
const SECRET_KEY_ARN = `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:app-secret-key-AbCdEf`;
const SERVICE = "aws:ecs/service:Service";

const API: ServiceConfig = {
  name: "api",
  image: { repository: "ghcr.io/eevans-d/grupo_gad/api", tag: "1.2.3" },
  port: 8000,
  migrationCommand: ["alembic", "upgrade", "head"],
  environment: { UVICORN_WORKERS: "2" },
  secrets: { SECRET_KEY: "appSecretKey" },
  database: true,
  cpu: 512,
  memory: 1024,
  desiredCount: 2,
  healthPath: "/health",
  public: true,
  autoscaling: { minCount: 2, maxCount: 6, cpuTarget: 60, requestsPerTarget: 1000 },
  spot: false,
  writablePaths: ["/app/logs", "/tmp"],
  execCommand: false,
};
const BOT: ServiceConfig = {
  ...API,
  name: "bot",
  port: undefined,
  migrationCommand: undefined,
  public: false,
  database: false,
  secrets: {},
  environment: {},
  desiredCount: 1,
  autoscaling: { minCount: 1, maxCount: 1, cpuTarget: 60, requestsPerTarget: 0 },
  spot: true,
  writablePaths: ["/tmp"],
};
const ROLLOUT = {
  healthCheckIntervalSeconds: 10,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  deregistrationDelaySeconds: 30,
  healthCheckGracePeriodSeconds: 60,
};
const LB = {
  securityGroupId: "sg-lb",
  targetGroupArn: "arn:tg",
  arnSuffix: "app/gad-test/1",
  targetGroupArnSuffix: "targetgroup/gad-test/2",
};

describe("GhcrService", () => {
  const mocks = new RecordingMocks();
  let mod: typeof ServiceModule;
  let db: typeof DatabaseModule;

  before(async () => {
    await installMocks(mocks, { stack: "test" });
    mod = await import("../../../components/services/ghcr-service");
    db = await import("../../../components/platform/database");
  });
  beforeEach(() => mocks.reset());

  function build(service: ServiceConfig, extra: Partial<ServiceModule.GhcrServiceArgs> = {}) {
    const database = new db.Database("gad-test-db", {
      region: "sa-east-1",
      mode: "rds",
      name: "grupogad",
      vpcId: "vpc-1",
      subnetIds: ["subnet-p1", "subnet-p2"],
    });
    return new mod.GhcrService(`gad-test-${service.name}`, {
      stack: "test",
      region: "sa-east-1",
      service,
      image: IMAGE,
      registryCredentialsArn: CREDENTIALS,
      cluster: { clusterArn: CLUSTER, clusterName: "gad-test", execLogGroupArn: EXEC_LOGS },
      network: { vpcId: "vpc-1", taskSubnetIds: ["subnet-p1", "subnet-p2"], assignPublicIp: false },
      database,
      secretArns: Object.keys(service.secrets).length ? { SECRET_KEY: SECRET_KEY_ARN } : {},
      loadBalancer: service.public ? { ...LB, listener: listener() } : undefined,
      rollout: ROLLOUT,
      alarms: { topicArn: "arn:topic", http5xxPercent: 5, latencyP95Milliseconds: 1500 },
      ...extra,
    });
  }
  /** The load balancer's forwarding listener, as the LoadBalancer component makes it. */
  const listener = () =>
    new aws.lb.Listener("gad-test-lb-http", {
      loadBalancerArn: "arn:lb",
      port: 80,
      defaultActions: [{ type: "forward", targetGroupArn: LB.targetGroupArn }],
    });
  const family = (f: string) => mocks.named("aws:ecs/taskDefinition:TaskDefinition", f).inputs;
  const containerOf = (f: string) => JSON.parse(family(f).containerDefinitions)[0];

  it("runs the pinned image read-only with writable volumes, the stack's environment and Secrets Manager secrets", async () => {
    build(API);
    await settle();
    const task = family("gad-test-api");
    assert.deepEqual(task.volumes, [{ name: "app-logs" }, { name: "tmp" }]);
    const c = containerOf("gad-test-api");
    assert.equal(c.image, IMAGE);
    assert.deepEqual(c.portMappings, [{ containerPort: 8000, protocol: "tcp", name: "http" }]);
    assert.equal(c.readonlyRootFilesystem, true);
    assert.deepEqual(
      c.mountPoints.map((m: { containerPath: string }) => m.containerPath),
      ["/app/logs", "/tmp"],
    );
    assert.deepEqual(c.repositoryCredentials, { credentialsParameter: CREDENTIALS });
    const env = Object.fromEntries(
      c.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    assert.deepEqual(env, {
      ENVIRONMENT: "test",
      POSTGRES_DB: "grupogad",
      POSTGRES_PORT: "5432",
      POSTGRES_SERVER: "gad-test-db.abcdefghij.sa-east-1.rds.amazonaws.com",
      GAD_DB_LOGIN_GENERATION: "1",
      TRUSTED_PROXY_HOSTS: "*",
      UVICORN_WORKERS: "2",
    });
    assert.equal("DATABASE_URL" in env, false, "no DATABASE_URL: start.sh does not migrate");
    // The application's own login, never the master user's (whose password RDS rotates).
    const login = `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:gad-test-db-app-AbCdEf`;
    assert.deepEqual(c.secrets, [
      { name: "POSTGRES_PASSWORD", valueFrom: `${login}:password::` },
      { name: "POSTGRES_USER", valueFrom: `${login}:username::` },
      { name: "SECRET_KEY", valueFrom: SECRET_KEY_ARN },
    ]);
    for (const s of c.secrets) assert.match(s.valueFrom, /^arn:aws:secretsmanager:/);
  });

  it("rolls safely: circuit breaker with rollback, 100/200 %, waits for steady state, behind the load balancer", async () => {
    build(API);
    await settle();
    const service = mocks.one(SERVICE).inputs;
    assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.deepEqual(
      [
        service.deploymentMinimumHealthyPercent,
        service.deploymentMaximumPercent,
        service.waitForSteadyState,
      ],
      [100, 200, true],
    );
    assert.deepEqual(service.loadBalancers, [
      { targetGroupArn: "arn:tg", containerName: "api", containerPort: 8000 },
    ]);
    assert.equal(service.healthCheckGracePeriodSeconds, 60);
    assert.equal(service.launchType, "FARGATE");
    assert.equal(
      service.taskDefinition,
      `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test-api:1`,
    );
  });

  it("admits only the load balancer on its port; the database admits the service", async () => {
    build(API);
    await settle();
    const ingress = mocks
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => [
        r.name,
        r.inputs.referencedSecurityGroupId,
        r.inputs.fromPort,
        r.inputs.cidrIpv4,
      ]);
    assert.deepEqual(ingress, [
      ["gad-test-api-from-lb", "sg-lb", 8000, undefined],
      ["gad-test-db-from-api", "gad-test-api-tasks-id", 5432, undefined],
    ]);
  });

  it("scales between its bounds on CPU and requests per target", async () => {
    build(API);
    await settle();
    const target = mocks.one("aws:appautoscaling/target:Target").inputs;
    assert.deepEqual([target.minCapacity, target.maxCapacity], [2, 6]);
    assert.equal(target.resourceId, "service/gad-test/gad-test-api");
    const policies = mocks
      .ofType("aws:appautoscaling/policy:Policy")
      .map((p) => p.inputs.targetTrackingScalingPolicyConfiguration);
    assert.deepEqual(
      policies.map((p) => [p.predefinedMetricSpecification.predefinedMetricType, p.targetValue]),
      [
        ["ECSServiceAverageCPUUtilization", 60],
        ["ALBRequestCountPerTarget", 1000],
      ],
    );
    assert.equal(
      policies[1].predefinedMetricSpecification.resourceLabel,
      "app/gad-test/1/targetgroup/gad-test/2",
    );
  });

  it("migrates once per new revision before the service rolls, and prints the command", async () => {
    const service = build(API);
    await settle();
    const migration = containerOf("gad-test-api-migrate");
    assert.deepEqual(migration.command, ["alembic", "upgrade", "head"]);
    assert.equal(migration.portMappings, undefined);
    assert.equal(migration.image, IMAGE);
    const gate = mocks.named("pulumi-nodejs:dynamic:Resource", "gad-test-api-migrate");
    assert.equal(
      gate.inputs.taskDefinitionArn,
      `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test-api-migrate:1`,
    );
    assert.equal(gate.inputs.containerName, "api");
    // Started before the database admits it or its egress exists, the migration could not run.
    for (const rule of ["gad-test-db-from-api", "gad-test-api-https", "gad-test-api-db"]) {
      assert.ok(
        gate.dependsOn.some((urn) => urn.endsWith(`::${rule}`)),
        `${rule} in ${gate.dependsOn.join(", ")}`,
      );
    }
    assert.match(
      await valueOf(service.runMigrationCommand as pulumi.Output<string>),
      /^aws ecs run-task --region sa-east-1 --cluster .* --task-definition .*gad-test-api-migrate:1 /,
    );
  });

  it("checks after the rollout that the new revision runs (a circuit-breaker rollback also ends steady)", async () => {
    build(API);
    await settle();
    const check = mocks.named("pulumi-nodejs:dynamic:Resource", "gad-test-api-rollout").inputs;
    assert.deepEqual(
      [check.cluster, check.service, check.taskDefinitionArn],
      [CLUSTER, "gad-test-api", `arn:aws:ecs:sa-east-1:${ACCOUNT}:task-definition/gad-test-api:1`],
    );
  });

  it("alarms on 5xx rate, unhealthy targets and p95 latency", async () => {
    build(API);
    await settle();
    const alarm = (id: string) =>
      mocks.named("aws:cloudwatch/metricAlarm:MetricAlarm", `gad-test-api-${id}`).inputs;
    assert.deepEqual(
      [alarm("5xx").metricQueries[2].expression, alarm("5xx").threshold],
      ["IF(requests > 0, 100 * errors / requests, 0)", 5],
    );
    assert.deepEqual(alarm("5xx").metricQueries[0].metric.dimensions, {
      LoadBalancer: "app/gad-test/1",
      TargetGroup: "targetgroup/gad-test/2",
    });
    assert.deepEqual(
      [alarm("unhealthy").metricName, alarm("unhealthy").threshold],
      ["UnHealthyHostCount", 0],
    );
    assert.deepEqual(
      [alarm("latency").metricName, alarm("latency").extendedStatistic, alarm("latency").threshold],
      ["TargetResponseTime", "p95", 1.5],
    );
    const alarms = ["5xx", "unhealthy", "latency"].map(alarm);
    for (const a of alarms) assert.deepEqual(a.alarmActions, ["arn:topic"]);
  });

  it("a worker without a port needs no load balancer: no ingress, no target, no alarms, spot", async () => {
    build(BOT);
    await settle();
    const service = mocks.one(SERVICE).inputs;
    assert.equal(service.loadBalancers, undefined);
    assert.equal(service.healthCheckGracePeriodSeconds, undefined);
    assert.deepEqual(service.capacityProviderStrategies, [
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ]);
    assert.equal(
      mocks.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length,
      0,
    );
    assert.equal(mocks.ofType("aws:appautoscaling/target:Target").length, 0);
    assert.equal(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length, 0);
    assert.deepEqual(
      mocks.ofType("pulumi-nodejs:dynamic:Resource").map((r) => r.name),
      ["gad-test-bot-rollout"],
      "no migration gate, but the rollout is still checked",
    );
    const c = containerOf("gad-test-bot");
    assert.equal(c.portMappings, undefined);
    assert.equal(
      c.environment.some((e: { name: string }) => e.name === "TRUSTED_PROXY_HOSTS"),
      false,
    );
  });

  it("roles: execution reads only this service's secrets; the task role has no permission, ECS Exec is off on a read-only root file system", async () => {
    build(API);
    await settle();
    const exec = JSON.parse(
      mocks.named("aws:iam/role:Role", "gad-test-api-exec").inputs.inlinePolicies[0].policy,
    );
    assert.deepEqual(exec.Statement[1].Resource, [
      CREDENTIALS,
      SECRET_KEY_ARN,
      `arn:aws:secretsmanager:sa-east-1:${ACCOUNT}:secret:gad-test-db-app-AbCdEf`,
    ]);
    assert.deepEqual(
      mocks.named("aws:iam/role:Role", "gad-test-api-task").inputs.inlinePolicies,
      [],
    );
    const service = mocks.named("aws:ecs/service:Service", "gad-test-api").inputs;
    assert.equal(service.enableExecuteCommand, false);
    assert.equal(containerOf("gad-test-api").readonlyRootFilesystem, true);
  });

  it("execCommand: ECS Exec on, the root file system writable for its SSM agent, sessions logged", async () => {
    build({ ...API, execCommand: true });
    await settle();
    assert.equal(
      mocks.named("aws:ecs/service:Service", "gad-test-api").inputs.enableExecuteCommand,
      true,
    );
    assert.equal(containerOf("gad-test-api").readonlyRootFilesystem, false);
    assert.equal(containerOf("gad-test-api").linuxParameters.initProcessEnabled, true);
    const task = JSON.parse(
      mocks.named("aws:iam/role:Role", "gad-test-api-task").inputs.inlinePolicies[0].policy,
    );
    assert.deepEqual(
      task.Statement.flatMap((s: { Action: string[] }) => s.Action),
      [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogGroups",
      ],
    );
    assert.equal(task.Statement[1].Resource, `${EXEC_LOGS}:log-stream:*`);
  });

  it("refuses to build a public service without a load balancer, or a secret without its ARN", () => {
    assert.throws(
      () => build(API, { loadBalancer: undefined, secretArns: {} }),
      /GhcrService gad-test-api: loadBalancer is required: the service is public; secretArns lacks SECRET_KEY/,
    );
  });
});
