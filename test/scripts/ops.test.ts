import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { ROOT } from "../support/stack-files";
import { parseDigest } from "../../scripts/ops/preview-digest";
import { COMMENT_MARKER, counts, dangers, renderComment } from "../../scripts/ops/pr-comment";
import { classifyDrift, driftIssueBody } from "../../scripts/ops/drift";
import { checkPath, smoke } from "../../scripts/ops/smoke";
import { runOps } from "../../scripts/ops";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { useMotoEnvironment } from "../support/moto";

const fixture = (name: string) =>
  fs.readFileSync(path.join(ROOT, "test/fixtures/preview", name), "utf8");
const RUN = "https://github.com/eevans-d/gad-infra/actions/runs/1";

describe("workflow scripts", () => {
  describe("pull-request comment", () => {
    const digest = parseDigest(fixture("staging-changes.json"));

    it("counts each resource once: a replacement's three steps are one replace", () => {
      assert.ok(digest);
      assert.deepEqual(counts(digest), { create: 1, update: 1, replace: 1, delete: 1 });
    });

    it("puts replaced or deleted stateful resources at the top", () => {
      const comment = renderComment([{ stack: "staging", digest }], RUN);
      assert.ok(comment.startsWith(`${COMMENT_MARKER}\n## Pulumi preview\n\n> [!CAUTION]`));
      assert.deepEqual(dangers({ stack: "staging", digest }), [
        "**staging**: replaces `aws:rds/instance:Instance` `gad-staging-db` (because of dbName)",
        "**staging**: deletes `aws:s3/bucket:Bucket` `gad-staging-lb-logs`",
      ]);
      assert.match(comment, /\| staging \| 1 \| 1 \| 1 \| 1 \|/);
      assert.match(comment, /<details><summary>staging: 4 change\(s\)<\/summary>/);
      assert.match(
        comment,
        /- update `aws:ecs\/service:Service` `gad-staging-api`: taskDefinition/,
      );
    });

    it("reports a failed stack without hiding the other", () => {
      const comment = renderComment(
        [
          { stack: "staging", digest },
          { stack: "production", error: "error: AccessDenied" },
        ],
        RUN,
      );
      assert.match(comment, /\| production \| preview failed \| \| \| \|/);
      assert.match(comment, /```\nerror: AccessDenied\n```/);
    });

    it("fits GitHub's limit by cutting details, saying so", () => {
      const big = {
        steps: Array.from({ length: 3000 }, (_, i) => ({
          op: "create",
          urn: `urn:pulumi:staging::gad::aws:iam/role:Role::role-with-a-rather-long-name-${i}`,
        })),
      };
      const comment = renderComment(
        [
          { stack: "staging", digest: big },
          { stack: "production", digest },
        ],
        RUN,
        20000,
      );
      assert.ok(comment.length <= 20000, String(comment.length));
      assert.match(comment, /more line\(s\) left out: see the workflow log/);
      assert.match(comment, /\| staging \| 3000 \| 0 \| 0 \| 0 \|/, "the summary survives");
      assert.match(comment, /Full output: https:\/\/github.com/);
    });
  });

  describe("drift", () => {
    it("clean, drift and error are told apart", () => {
      assert.deepEqual(classifyDrift(0, fixture("drift-clean.json")), { kind: "clean" });
      assert.deepEqual(classifyDrift(255, fixture("drift-changed.json")), {
        kind: "drift",
        resources: [
          {
            type: "aws:lb/loadBalancer:LoadBalancer",
            name: "gad-production",
            change: "update",
            properties: ["enableDeletionProtection", "idleTimeout"],
          },
        ],
      });
      const error = classifyDrift(255, fixture("drift-error.json"));
      assert.equal(error.kind, "error");
      assert.match((error as { reason: string }).reason, /AccessDenied/);
      assert.deepEqual(classifyDrift(1, "error: could not log in to s3://..."), {
        kind: "error",
        reason: "pulumi exited 1 without a preview document",
      });
      assert.equal(
        classifyDrift(255, fixture("drift-clean.json")).kind,
        "error",
        "a failure with no changes is no clean run",
      );
    });

    it("writes an issue body naming each drifted resource and property", () => {
      const verdict = classifyDrift(255, fixture("drift-changed.json"));
      assert.ok(verdict.kind === "drift");
      const body = driftIssueBody("production", verdict.resources, RUN);
      assert.match(
        body,
        /\| `gad-production` \| `aws:lb\/loadBalancer:LoadBalancer` \| update \| enableDeletionProtection, idleTimeout \|/,
      );
      assert.match(body, /pulumi up --stack production/);
    });

    it("the command prints the verdict, writes the body, and fails on an error", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-ops-"));
      const input = path.join(dir, "preview.json");
      const out = path.join(dir, "body.md");
      const stdout: string[] = [];
      const io = {
        stdout: (s: string) => stdout.push(s),
        stderr: (s: string) => stdout.push(`E:${s}`),
      };
      fs.writeFileSync(input, fixture("drift-changed.json"));
      const args = ["--stack", "production", "--input", input, "--run-url", RUN, "--out", out];
      assert.equal(await runOps(["drift", ...args, "--exit-code", "255"], io), 0);
      assert.equal(stdout[0], "drift\n");
      assert.match(fs.readFileSync(out, "utf8"), /Drift|drift|cloud no longer matches/);
      fs.writeFileSync(input, fixture("drift-error.json"));
      assert.equal(await runOps(["drift", ...args, "--exit-code", "255"], io), 1);
      assert.match(stdout.join(""), /error\nE:drift check of production failed: refreshing/);
      assert.equal(
        await runOps(["drift", "--stack", "x"], io).catch((e: Error) => e.message),
        "missing --exit-code, --input, --run-url, --out",
      );
    });
  });

  describe("deploy verification (against moto_server's ECS)", function () {
    this.timeout(60_000);
    const moto = useMotoEnvironment("block");
    let first = "";
    let second = "";

    before(async () => {
      const ecs = new ECSClient({ region: "us-east-1", endpoint: moto.endpoint() });
      await ecs.send(new CreateClusterCommand({ clusterName: "gad-test" }));
      const register = async () =>
        (
          await ecs.send(
            new RegisterTaskDefinitionCommand({
              family: "gad-test-api",
              containerDefinitions: [{ name: "api", image: "ghcr.io/x/api@sha256:1", memory: 512 }],
            }),
          )
        ).taskDefinition?.taskDefinitionArn as string;
      first = await register();
      await ecs.send(
        new CreateServiceCommand({
          cluster: "gad-test",
          serviceName: "gad-test-api",
          taskDefinition: first,
          desiredCount: 1,
        }),
      );
      // The emulator keeps the first revision primary after an update: what a rollback looks like.
      second = await register();
      await ecs.send(
        new UpdateServiceCommand({
          cluster: "gad-test",
          service: "gad-test-api",
          taskDefinition: second,
        }),
      );
    });
    const verify = async (taskDefinition: string) => {
      const lines: string[] = [];
      const io = { stdout: (s: string) => lines.push(s), stderr: (s: string) => lines.push(s) };
      const args = ["--region", "us-east-1", "--cluster", "gad-test", "--service", "gad-test-api"];
      const code = await runOps(["verify", ...args, "--task-definition", taskDefinition], io);
      return { code, text: lines.join("") };
    };

    it("passes when the service runs the revision the stack names", async () => {
      assert.deepEqual(await verify(first), {
        code: 0,
        text: `service gad-test-api runs ${first}\n`,
      });
    });

    it("fails, saying so, when the service still runs the old revision", async () => {
      const { code, text } = await verify(second);
      assert.equal(code, 1);
      assert.match(
        text,
        new RegExp(
          `^service gad-test-api: the deployment of ${second} was rolled back: the service runs ${first}`,
        ),
      );
    });
  });

  describe("smoke checks", () => {
    let server: http.Server;
    let base: string;
    let readyCalls = 0;

    before(async () => {
      server = http.createServer((req, res) => {
        if (req.url === "/health") return void res.end("ok");
        if (req.url === "/api/v1/health/ready") {
          readyCalls += 1;
          res.statusCode = readyCalls < 3 ? 503 : 200;
          return void res.end();
        }
        if (req.url === "/metrics") return; // never answers
        res.statusCode = 404;
        res.end();
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    const fast = { attempts: 4, delayMs: 10, timeoutMs: 300 };

    it("retries until the service is ready", async () => {
      readyCalls = 0;
      const r = await checkPath(base, "/api/v1/health/ready", fast);
      assert.deepEqual(r, {
        path: "/api/v1/health/ready",
        ok: true,
        attempts: 3,
        last: "HTTP 200",
      });
    });

    it("fails on a path that never answers in time, or never succeeds", async () => {
      assert.deepEqual(await checkPath(base, "/metrics", { ...fast, attempts: 2 }), {
        path: "/metrics",
        ok: false,
        attempts: 2,
        last: "no answer within 300 ms",
      });
      assert.equal((await checkPath(base, "/nope", fast)).last, "HTTP 404");
    });

    it("reports every path, and passes only when all do", async () => {
      readyCalls = 0;
      const result = await smoke(base, { ...fast, attempts: 3 });
      assert.equal(result.ok, false);
      assert.deepEqual(result.lines, [
        "ok   /health: HTTP 200 after 1 attempt(s)",
        "ok   /api/v1/health/ready: HTTP 200 after 3 attempt(s)",
        "FAIL /metrics: no answer within 300 ms after 3 attempt(s)",
      ]);
    });
  });
});
