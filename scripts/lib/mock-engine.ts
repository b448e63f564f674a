// A recording mock engine for the Pulumi SDK (\`pulumi.runtime.setMocks\`): every registered
// resource is kept with its exact inputs and the options that matter (protect, retainOnDelete,
// parent, dependencies), and a provider function nobody declared fails loudly instead of being
// silently faked. The tests and the offline plan (scripts/plan.ts) both run the program on it.
import * as pulumi from "@pulumi/pulumi";
import { ProtoAlias, aliasUrn, urnOf } from "./urns";

/** Where the mocked resources pretend to live: it shapes their ARNs. */
export interface MockAccount {
  readonly account: string;
  readonly region: string;
}

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly inputs: Record<string, any>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** Inputs plus what the provider computes (ids, ARNs, names): the resource's outputs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly state: Record<string, any>;
  /** The resource's URN, as the engine forms it (the parent's whole type chain). */
  readonly urn: string;
  /** URN of the parent resource. */
  readonly parent: string;
  /** URNs of the resources it was told to wait for (`dependsOn`, and its inputs' resources). */
  readonly dependsOn: readonly string[];
  /** The URNs its `aliases` name: earlier identities the engine matches to this resource. */
  readonly aliases: readonly string[];
}

/** What the monitor hook records of each registration, before `newResource` sees it. */
type RecordedOptions = Pick<
  RecordedResource,
  "urn" | "protect" | "retainOnDelete" | "parent" | "dependsOn" | "aliases"
>;

export type CallHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** The credentials the program runs with, as STS GetCallerIdentity answers for a role session. */
export function callerIdentity(account: string): CallHandler {
  return () => ({
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/gad-deploy/session`,
    userId: "AROAEXAMPLEEXAMPLE:session",
  });
}

/** Outputs the real provider computes; the mock must supply them or outputs never resolve. */
function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  { account: ACCOUNT_ID, region: REGION }: MockAccount,
): Record<string, unknown> {
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = (inputs.bucket as string | undefined) ?? `${name}-a1b2c3d`;
      return {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketRegionalDomainName: `${bucket}.s3.${REGION}.amazonaws.com`,
      };
    }
    case "aws:kms/key:Key":
      return {
        keyId: `${name}-key-id`,
        arn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${name}-key-id`,
      };
    case "aws:cloudwatch/logGroup:LogGroup":
      return {
        name: (inputs.name as string | undefined) ?? name,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${name}`,
      };
    case "aws:ecs/cluster:Cluster":
      return {
        name: (inputs.name as string | undefined) ?? name,
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/${name}`,
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`, name };
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const base = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/${inputs.family}`;
      return { arn: `${base}:1`, arnWithoutRevision: base, revision: 1 };
    }
    case "aws:sqs/queue:Queue":
      return {
        name,
        arn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`,
        url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${name}`,
      };
    case "aws:sns/topic:Topic":
      return { name, arn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${name}` };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name, arn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${name}` };
    case "aws:scheduler/scheduleGroup:ScheduleGroup":
      return { name, arn: `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule-group/${name}` };
    case "aws:secretsmanager/secret:Secret":
      return { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${name}-AbCdEf` };
    case "aws:rds/subnetGroup:SubnetGroup":
    case "aws:rds/parameterGroup:ParameterGroup":
      return { name };
    case "aws:rds/instance:Instance":
      return {
        address: `${name}.abcdefghij.${REGION}.rds.amazonaws.com`,
        endpoint: `${name}.abcdefghij.${REGION}.rds.amazonaws.com:${inputs.port ?? 5432}`,
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-${name}-XyZ123`,
            secretStatus: "active",
          },
        ],
      };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:loadbalancer/app/${name}/50dc6c495c0c9188`,
        arnSuffix: `app/${name}/50dc6c495c0c9188`,
        dnsName: `${name}-1234567890.${REGION}.elb.amazonaws.com`,
        zoneId: "Z2P70J7HTTTPLU",
      };
    case "aws:lb/targetGroup:TargetGroup":
      return {
        arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:targetgroup/${name}/73e2d6bc24d8a067`,
        arnSuffix: `targetgroup/${name}/73e2d6bc24d8a067`,
      };
    case "aws:lb/listener:Listener":
      return { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:listener/app/${name}` };
    case "aws:acm/certificate:Certificate":
      return {
        arn: `arn:aws:acm:${REGION}:${ACCOUNT_ID}:certificate/${name}`,
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_x1.${inputs.domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_x2.acm-validations.aws.",
          },
        ],
      };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name).replace(/\.$/, "") };
    case "aws:wafv2/webAcl:WebAcl":
      return inputs.scope === "CLOUDFRONT"
        ? { arn: `arn:aws:wafv2:us-east-1:${ACCOUNT_ID}:global/webacl/${name}/abc` }
        : { arn: `arn:aws:wafv2:${REGION}:${ACCOUNT_ID}:regional/webacl/${name}/abc` };
    case "aws:cloudfront/distribution:Distribution":
      // The example name in CloudFront's documentation.
      return {
        arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/E2QWRUHEXAMPLE`,
        domainName: "d111111abcdef8.cloudfront.net",
      };
    case "aws:cloudfront/vpcOrigin:VpcOrigin":
      return { arn: `arn:aws:cloudfront::${ACCOUNT_ID}:vpcorigin/${name}` };
    case "aws:ecs/service:Service":
      return { name: (inputs.name as string | undefined) ?? name };
    case "aws:kms/alias:Alias":
      return { arn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${inputs.namePrefix ?? inputs.name}` };
    default:
      return {};
  }
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly options = new Map<string, RecordedOptions>();

  /** Provider functions the test declared, by token; a test may replace one. */
  constructor(
    readonly calls: Record<string, CallHandler> = {},
    private readonly where: MockAccount = { account: "123456789012", region: "sa-east-1" },
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const opts = this.options.get(`${args.type}::${args.name}`) ?? {
      urn: "",
      protect: false,
      retainOnDelete: false,
      parent: "",
      dependsOn: [],
      aliases: [],
    };
    const state = {
      ...args.inputs,
      ...computedState(args.type, args.name, args.inputs, this.where),
    };
    this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, state, ...opts });
    // As in AWS, a bucket's id is its name (its settings resources refer to it by that).
    const id = args.type === "aws:s3/bucket:Bucket" ? String(state.bucket) : `${args.name}-id`;
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const handler = this.calls[args.token];
    if (!handler) {
      const error = new Error(
        `unexpected provider call ${args.token}: declare it in the test's mocks`,
      );
      // The SDK reports a failed invoke by the gRPC error's `details`, not its message.
      throw Object.assign(error, { details: error.message });
    }
    return handler(args.inputs);
  }

  /** Called by the monitor hook with each request's options, before `newResource`. */
  recordOptions(type: string, name: string, opts: RecordedOptions): void {
    this.options.set(`${type}::${name}`, opts);
  }

  reset(): void {
    this.resources.length = 0;
    this.options.clear();
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource of `type` named `name`; fails when there is none. */
  named(type: string, name: string): RecordedResource {
    const found = this.ofType(type).find((r) => r.name === name);
    if (!found) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(`no ${type} named ${name}; there are: ${names.join(", ")}`);
    }
    return found;
  }

  /** The only resource of a type; fails when there are none or several. */
  one(type: string): RecordedResource {
    const found = this.ofType(type);
    if (found.length !== 1) {
      throw new Error(
        `expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
      );
    }
    return found[0];
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getParent(): string;
  getDependenciesList(): string[];
  getAliasesList(): ProtoAlias[];
}

/**
 * Installs `mocks` as the engine for `stack`, with the given config (fully qualified keys,
 * values as the CLI passes them) and the keys that hold secrets.
 */
export async function installMocks(
  mocks: RecordingMocks,
  opts: { stack?: string; config?: Record<string, string>; secretKeys?: string[] } = {},
): Promise<void> {
  const [project, stack] = ["gad", opts.stack ?? "test"];
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): Promise<void>;
    newUrn(parent: string, type: string, name: string): string;
  };
  // URNs as the engine forms them, so parents, dependencies and aliases are the real ones.
  monitor.newUrn = (parent, type, name) => urnOf(stack, project, parent, type, name);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const [type, name, parent] = [req.getType(), req.getName(), req.getParent()];
    const of = { stack, project, parent, type, name };
    mocks.recordOptions(type, name, {
      urn: urnOf(stack, project, parent, type, name),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      parent,
      dependsOn: req.getDependenciesList(),
      aliases: req.getAliasesList().map((alias) => aliasUrn(alias, of)),
    });
    return register(req, cb);
  };
}

/** Waits until every outstanding resource registration has reached the mocks. */
export async function settle(): Promise<void> {
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof wait !== "function")
    throw new Error("internal: @pulumi/pulumi no longer exports runtime.waitForRPCs");
  await wait();
}

/** The engine's marker of a secret value in recorded inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a recorded secret input; fails when the input is not marked secret. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function secretValue(input: any): any {
  if (input?.[SECRET_SIG] !== SECRET_SIG_VALUE) {
    throw new Error(`expected a secret, got ${JSON.stringify(input)}`);
  }
  return input.value;
}

/** The value of an Output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
