import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_AZ_COUNT,
  DEFAULT_NAT_MODE,
  DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS,
  NAT_MODES,
} from "../../rules/defaults";
import { checkVpcCidr, numberToIpv4, parseCidr } from "../../rules/cidr";
import { checkLogRetentionDays } from "../../rules/log-retention";
import type { NatMode } from "../../rules/types";
import { recordFlowLogs } from "./flow-logs";

export interface SubnetLayout {
  readonly public: readonly string[];
  readonly private: readonly string[];
}

/**
 * Splits the VPC into 2 × azCount equal blocks, the smallest power of two that holds them:
 * the first azCount are public, the next azCount private (a /16 over 2 AZs gives four /18s).
 */
export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
  const parsed = parseCidr(vpcCidr);
  if (typeof parsed === "string") throw new Error(`vpcCidr ${parsed}`);
  const newBits = Math.ceil(Math.log2(2 * azCount));
  const prefix = parsed.prefix + newBits;
  const size = 2 ** (32 - prefix);
  const block = (i: number) => `${numberToIpv4(parsed.base + i * size)}/${prefix}`;
  return {
    public: Array.from({ length: azCount }, (_, i) => block(i)),
    private: Array.from({ length: azCount }, (_, i) => block(azCount + i)),
  };
}

/** Where the tasks run (a Network). */
export interface NetworkRef {
  readonly vpcId: pulumi.Input<string>;
  readonly taskSubnetIds: pulumi.Input<string>[];
  /** Whether tasks need a public IP (no NAT). */
  readonly assignPublicIp: boolean;
  /** Routes a task needs before it can start (a task run during the update waits for them). */
  readonly egressReady?: pulumi.Resource[];
}

export interface NetworkArgs {
  /** The stack's region (it names the S3 endpoint's service). */
  readonly region: string;
  /** IPv4 CIDR of the VPC: a private range, /16 to /24. */
  readonly vpcCidr: string;
  /**
   * Availability zones to spread over (2-6).
   * @default DEFAULT_AZ_COUNT (2)
   */
  readonly azCount?: number;
  /**
   * Outbound internet for private subnets: none (tasks run in public subnets with public IPs,
   * and security groups admit nothing from the internet), single (one NAT gateway) or perAz.
   * @default DEFAULT_NAT_MODE ("single")
   */
  readonly natMode?: NatMode;
  /** Record every accepted and rejected flow to CloudWatch Logs. @default false */
  readonly flowLogs?: boolean;
  /**
   * Days flow logs are kept (a CloudWatch Logs retention period).
   * @default DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS (30)
   */
  readonly flowLogRetentionDays?: number;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A VPC over several AZs with public and private subnets, NAT as configured, an S3 gateway
 * endpoint (backups and image layers reach S3 without NAT charges) and a default security group
 * stripped of all rules.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** Where Fargate tasks run: private subnets behind NAT, or public ones without NAT. */
  public readonly taskSubnetIds: pulumi.Output<string>[];
  /** Whether tasks need a public IP (no NAT) to reach GHCR and AWS APIs. */
  public readonly assignPublicIp: boolean;
  /** The default routes tasks leave by: a task started before they exist cannot pull its image. */
  public readonly egressReady: pulumi.Resource[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:network:Network", name, {}, opts);
    const azCount = args.azCount ?? DEFAULT_AZ_COUNT;
    const natMode = args.natMode ?? DEFAULT_NAT_MODE;
    const problems: string[] = [];
    const cidrProblem = checkVpcCidr(args.vpcCidr);
    if (cidrProblem) problems.push(`vpcCidr ${cidrProblem} (got ${JSON.stringify(args.vpcCidr)})`);
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > 6) {
      problems.push(`azCount must be an integer from 2 to 6 (got ${azCount})`);
    }
    if (!(NAT_MODES as readonly string[]).includes(natMode)) {
      problems.push(`natMode must be none, single or perAz (got ${JSON.stringify(natMode)})`);
    }
    const flowLogRetentionDays =
      args.flowLogRetentionDays ?? DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS;
    const retentionProblem = checkLogRetentionDays(flowLogRetentionDays);
    if (retentionProblem) {
      problems.push(`flowLogRetentionDays ${retentionProblem} (got ${flowLogRetentionDays})`);
    }
    if (problems.length > 0)
      throw new pulumi.ResourceError(`Network ${name}: ${problems.join("; ")}`, this, true);

    const tags = args.tags ?? {};
    const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });
    const parent = { parent: this };
    const layout = subnetLayout(args.vpcCidr, azCount);
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names;

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: named("vpc"),
      },
      parent,
    );
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: named("default-closed") },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: named("igw") },
      parent,
    );

    const publicTable = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, tags: named("public") },
      parent,
    );
    const publicRoute = new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );

    const subnet = (kind: "public" | "private", i: number) =>
      new aws.ec2.Subnet(
        `${name}-${kind}-${i + 1}`,
        {
          vpcId: vpc.id,
          cidrBlock: layout[kind][i],
          availabilityZone: zones[i],
          mapPublicIpOnLaunch: false,
          tags: named(`${kind}-${i + 1}`),
        },
        parent,
      );
    const publicSubnets = layout.public.map((_, i) => subnet("public", i));
    const privateSubnets = layout.private.map((_, i) => subnet("private", i));
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i + 1}`,
          { subnetId: s.id, routeTableId: publicTable.id },
          parent,
        ),
    );

    const natCount = natMode === "perAz" ? azCount : natMode === "single" ? 1 : 0;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${i + 1}`,
        { domain: "vpc", tags: named(`nat-${i + 1}`) },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i + 1}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: named(`nat-${i + 1}`) },
        { parent: this, dependsOn: [igw] },
      );
    });
    const privateRoutes: aws.ec2.Route[] = [];
    const privateTables = privateSubnets.map((s, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${i + 1}`,
        { vpcId: vpc.id, tags: named(`private-${i + 1}`) },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i + 1}`,
        { subnetId: s.id, routeTableId: table.id },
        parent,
      );
      if (nats.length > 0) {
        privateRoutes.push(
          new aws.ec2.Route(
            `${name}-private-${i + 1}-default`,
            {
              routeTableId: table.id,
              destinationCidrBlock: "0.0.0.0/0",
              natGatewayId: nats[Math.min(i, nats.length - 1)].id,
            },
            parent,
          ),
        );
      }
      return table;
    });
    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [publicTable.id, ...privateTables.map((t) => t.id)],
        tags: named("s3"),
      },
      parent,
    );

    if (args.flowLogs) recordFlowLogs(name, args.region, vpc.id, flowLogRetentionDays, tags, this);

    this.vpcId = vpc.id;
    this.vpcCidr = args.vpcCidr;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.assignPublicIp = natMode === "none";
    this.taskSubnetIds = this.assignPublicIp ? this.publicSubnetIds : this.privateSubnetIds;
    this.egressReady = this.assignPublicIp ? [publicRoute] : privateRoutes;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
