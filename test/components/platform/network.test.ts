import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, callerIdentity, installMocks, settle } from "../../mocks";
import type * as NetworkModule from "../../../components/platform/network";

const AZS = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];

describe("Network", () => {
  const mocks = new RecordingMocks({
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
      id: "sa-east-1",
      names: AZS,
      zoneIds: ["sae1-az1", "sae1-az2", "sae1-az3"],
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity("123456789012"),
  });
  let mod: typeof NetworkModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/platform/network");
  });
  beforeEach(() => mocks.reset());

  async function build(args: Partial<NetworkModule.NetworkArgs> = {}) {
    const network = new mod.Network("net", {
      region: "sa-east-1",
      vpcCidr: "10.40.0.0/16",
      ...args,
    });
    await settle();
    return network;
  }
  const routes = () => mocks.ofType("aws:ec2/route:Route").map((r) => r.inputs);

  it("splits the VPC into equal public and private blocks", () => {
    assert.deepEqual(mod.subnetLayout("10.40.0.0/16", 2), {
      public: ["10.40.0.0/18", "10.40.64.0/18"],
      private: ["10.40.128.0/18", "10.40.192.0/18"],
    });
    assert.deepEqual(mod.subnetLayout("10.41.0.0/16", 3).private, [
      "10.41.96.0/19",
      "10.41.128.0/19",
      "10.41.160.0/19",
    ]);
  });

  it("spreads public and private subnets over the zones", async () => {
    await build();
    const subnets = mocks
      .ofType("aws:ec2/subnet:Subnet")
      .map((s) => [
        s.name,
        s.inputs.cidrBlock,
        s.inputs.availabilityZone,
        s.inputs.mapPublicIpOnLaunch,
      ]);
    assert.deepEqual(subnets, [
      ["net-public-1", "10.40.0.0/18", "sa-east-1a", false],
      ["net-public-2", "10.40.64.0/18", "sa-east-1b", false],
      ["net-private-1", "10.40.128.0/18", "sa-east-1a", false],
      ["net-private-2", "10.40.192.0/18", "sa-east-1b", false],
    ]);
    assert.equal(mocks.one("aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.40.0.0/16");
    const sg = mocks.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
    assert.equal(sg.ingress, undefined, "the default security group admits nothing");
  });

  it("single NAT: one gateway, every private table routes through it", async () => {
    const n = await build({ natMode: "single" });
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 1);
    const nat = routes().filter((r) => r.natGatewayId);
    assert.equal(nat.length, 2);
    assert.ok(
      nat.every((r) => r.natGatewayId === "net-nat-1-id" && r.destinationCidrBlock === "0.0.0.0/0"),
    );
    assert.equal(n.assignPublicIp, false);
  });

  it("perAz NAT: one gateway per zone, each zone's table uses its own", async () => {
    await build({ natMode: "perAz", azCount: 3 });
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 3);
    assert.deepEqual(
      routes()
        .filter((r) => r.natGatewayId)
        .map((r) => r.natGatewayId),
      ["net-nat-1-id", "net-nat-2-id", "net-nat-3-id"],
    );
  });

  it("no NAT: private subnets have no way out, tasks go public with public IPs", async () => {
    const n = await build({ natMode: "none" });
    assert.equal(mocks.ofType("aws:ec2/natGateway:NatGateway").length, 0);
    assert.deepEqual(
      routes().map((r) => r.gatewayId ?? r.natGatewayId),
      ["net-igw-id"],
      "only the public default route",
    );
    assert.equal(n.assignPublicIp, true);
  });

  it("reaches S3 through a gateway endpoint on every route table", async () => {
    await build();
    const endpoint = mocks.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs;
    assert.equal(endpoint.serviceName, "com.amazonaws.sa-east-1.s3");
    assert.equal(endpoint.vpcEndpointType, "Gateway");
    assert.deepEqual(endpoint.routeTableIds, [
      "net-public-id",
      "net-private-1-id",
      "net-private-2-id",
    ]);
  });

  it("flow logs are off unless asked for", async () => {
    await build();
    assert.equal(mocks.ofType("aws:ec2/flowLog:FlowLog").length, 0);
  });

  it("flow logs: all traffic to their own group, written by a role that may do only that", async () => {
    await build({ flowLogs: true, flowLogRetentionDays: 60 });
    const flow = mocks.one("aws:ec2/flowLog:FlowLog").inputs;
    const groupArn = "arn:aws:logs:sa-east-1:123456789012:log-group:net-flows";
    assert.deepEqual(
      [flow.vpcId, flow.trafficType, flow.logDestinationType, flow.logDestination, flow.iamRoleArn],
      ["net-id", "ALL", "cloud-watch-logs", groupArn, "arn:aws:iam::123456789012:role/net-flows"],
    );
    assert.equal(
      mocks.named("aws:cloudwatch/logGroup:LogGroup", "net-flows").inputs.retentionInDays,
      60,
    );
    const role = mocks.named("aws:iam/role:Role", "net-flows").inputs;
    // Confused deputy: only this account's flow logs may assume it (VPC User Guide, "IAM role
    // for publishing flow logs to CloudWatch Logs").
    assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:ec2:sa-east-1:123456789012:vpc-flow-log/*" },
        },
      },
    ]);
    assert.deepEqual(JSON.parse(role.inlinePolicies[0].policy).Statement, [
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [groupArn, `${groupArn}:log-stream:*`],
      },
      { Sid: "ListLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
    ]);
  });

  for (const [args, message] of [
    [{ natMode: "double" as "single" }, /natMode must be none, single or perAz \(got "double"\)/],
    [{ azCount: 1 }, /azCount must be an integer from 2 to 6 \(got 1\)/],
    [{ vpcCidr: "8.8.0.0/16" }, /vpcCidr must be inside a private range/],
    [
      { flowLogs: true, flowLogRetentionDays: 45 },
      /flowLogRetentionDays must be a CloudWatch Logs retention period: .* \(got 45\)/,
    ],
  ] as const) {
    it(`refuses ${JSON.stringify(args)}`, () =>
      assert.throws(
        () => new mod.Network("bad", { region: "sa-east-1", vpcCidr: "10.40.0.0/16", ...args }),
        (e: unknown) => e instanceof pulumi.ResourceError && message.test((e as Error).message),
      ));
  }
});
