// The policy pack as the Pulumi CLI runs it: `@pulumi/pulumi/cmd/run-policy-pack` (what the CLI's
// analyzer plugin launches) serves policy/ over the Analyzer gRPC protocol, and this test calls
// Analyze and AnalyzeStack with the stubs that ship in @pulumi/pulumi/proto, with passing and
// failing resources of every form that can express the same setting: a user's own change must
// meet the guard however it writes it.
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ROOT } from "../support/stack-files";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const grpc = require("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// The Struct of the same google-protobuf the stubs use.
const { Struct } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"))],
  }),
);

interface Diagnostic {
  readonly policy: string;
  readonly message: string;
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::gad::${type}::${name}`;

/** Resource options, which the engine always sends (the pack refuses a request without them). */
function options(): unknown {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(false);
  return o;
}

describe("policy pack over the Analyzer gRPC protocol (run-policy-pack)", function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let client: any;

  before(async () => {
    child = spawn(
      process.execPath,
      [
        require.resolve("@pulumi/pulumi/cmd/run-policy-pack"),
        "127.0.0.1:0",
        path.join(ROOT, "policy"),
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d) => {
        out += d;
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`run-policy-pack exited ${code}: ${stderr}`)));
    });
    client = new analyzerGrpc.AnalyzerClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
  });
  after(() => {
    client?.close();
    child?.kill();
  });

  const call = (method: string, request: unknown): Promise<Diagnostic[]> =>
    new Promise((resolve, reject) =>
      client[method](request, (err: Error | null, response: any) =>
        err
          ? reject(err)
          : resolve(
              response.getDiagnosticsList().map((d: any) => ({
                policy: d.getPolicyname(),
                // The CLI shows the policy's description, then the violation's own line.
                message: String(d.getMessage()).split("\n").pop(),
              })),
            ),
      ),
    );

  async function analyze(type: string, name: string, props: object): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(urnOf(type, name));
    req.setProperties(Struct.fromJavaScript(props));
    req.setOptions(options());
    return call("analyze", req);
  }

  async function analyzeStack(resources: [string, string, object][]): Promise<Diagnostic[]> {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map(([type, name, props]) => {
        const r = new analyzerPb.AnalyzerResource();
        r.setType(type);
        r.setName(name);
        r.setUrn(urnOf(type, name));
        r.setProperties(Struct.fromJavaScript(props));
        r.setOptions(options());
        return r;
      }),
    );
    return call("analyzeStack", req);
  }

  const policiesOf = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policy === policy);

  it("serves the pack: a compliant resource has no diagnostics", async () => {
    const ds = await analyze("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
      cidrIpv4: "0.0.0.0/0",
      fromPort: 443,
      toPort: 443,
      ipProtocol: "tcp",
      description: "HTTPS",
    });
    assert.deepEqual(ds, []);
  });

  it("sg-open-only-web: SSH open to the internet is refused in each of its three forms", async () => {
    const forms: [string, object][] = [
      [
        "aws:ec2/securityGroup:SecurityGroup",
        {
          description: "inline",
          ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
        },
      ],
      [
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        { type: "ingress", fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] },
      ],
      [
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        { cidrIpv6: "::/0", fromPort: 22, toPort: 22, ipProtocol: "tcp" },
      ],
    ];
    for (const [type, props] of forms) {
      assert.deepEqual(
        policiesOf(await analyze(type, "ssh", props), "sg-open-only-web").map((d) => d.message),
        ["ports 22-22 are open to the internet: only 80 and 443 may be"],
        type,
      );
    }
    const everything = await analyze("aws:ec2/securityGroupRule:SecurityGroupRule", "all", {
      type: "ingress",
      fromPort: 0,
      toPort: 0,
      protocol: "-1",
      cidrBlocks: ["0.0.0.0/0"],
    });
    assert.equal(policiesOf(everything, "sg-open-only-web").length, 1);
    const inVpc = await analyze("aws:ec2/securityGroup:SecurityGroup", "private", {
      description: "private",
      ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
    });
    assert.deepEqual(policiesOf(inVpc, "sg-open-only-web"), []);
  });

  it("iam-no-star: * on * is refused inline, as a RolePolicy, a UserPolicy and a managed Policy", async () => {
    const star = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    const scoped = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
    });
    const forms: [string, (policy: string) => object][] = [
      ["aws:iam/role:Role", (policy) => ({ inlinePolicies: [{ name: "p", policy }] })],
      ["aws:iam/rolePolicy:RolePolicy", (policy) => ({ role: "r", policy })],
      ["aws:iam/userPolicy:UserPolicy", (policy) => ({ user: "u", policy })],
      ["aws:iam/policy:Policy", (policy) => ({ policy })],
    ];
    for (const [type, props] of forms) {
      assert.equal(
        policiesOf(await analyze(type, "admin", props(star)), "iam-no-star").length,
        1,
        type,
      );
      assert.deepEqual(
        policiesOf(await analyze(type, "scoped", props(scoped)), "iam-no-star"),
        [],
        type,
      );
    }
  });

  it("admin-only-fenced: AdministratorAccess to an unfenced role, attached in each form, is refused", async () => {
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    const fence = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "NoOtherStacksResources", Effect: "Deny", Action: "*", Resource: "*" }],
    });
    const role = (name: string, fenced: boolean, extra: object = {}): [string, string, object] => [
      "aws:iam/role:Role",
      name,
      { name, inlinePolicies: fenced ? [{ name: "fence", policy: fence }] : [], ...extra },
    ];
    const forms: [string, string, object][] = [
      [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "attach",
        { role: "loose", policyArn: admin },
      ],
      [
        "aws:iam/policyAttachment:PolicyAttachment",
        "attach-many",
        { roles: ["loose"], policyArn: admin },
      ],
    ];
    for (const form of forms) {
      const ds = policiesOf(await analyzeStack([role("loose", false), form]), "admin-only-fenced");
      assert.equal(ds.length, 1, form[0]);
      const fencedDs = policiesOf(
        await analyzeStack([role("loose", true), form]),
        "admin-only-fenced",
      );
      assert.deepEqual(fencedDs, [], form[0]);
    }
    const managed = await analyzeStack([role("managed", false, { managedPolicyArns: [admin] })]);
    assert.equal(policiesOf(managed, "admin-only-fenced").length, 1, "a role's managedPolicyArns");
  });

  it("no-plain-http, a stack policy, as the engine calls it", async () => {
    const lb: [string, string, object] = [
      "aws:lb/loadBalancer:LoadBalancer",
      "public",
      { arn: "arn:lb", internal: false },
    ];
    const http: [string, string, object] = [
      "aws:lb/listener:Listener",
      "http",
      { loadBalancerArn: "arn:lb", protocol: "HTTP", defaultActions: [{ type: "forward" }] },
    ];
    assert.equal(policiesOf(await analyzeStack([lb, http]), "no-plain-http").length, 1);
  });
});
