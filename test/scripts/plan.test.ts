import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { ROOT } from "../support/stack-files";
import type * as PlanModule from "../../scripts/plan";
import { planResources, renderMermaid, renderPlan } from "../../scripts/plan-report";

describe("offline plan", function () {
  this.timeout(120_000);
  let mod: typeof PlanModule;

  before(async () => {
    mod = await import("../../scripts/plan");
  });

  it("runs the real program for a committed stack with placeholders for secrets and look-ups", async () => {
    const plan = await mod.runPlan("production");
    const planned = planResources(plan.mocks.resources);
    const text = renderPlan("production", planned, plan.outputs, plan.notes);
    assert.match(
      text,
      /^Offline plan of stack "production": \d+ resources \(no credentials used\)/,
    );
    assert.match(text, /Schedule gad-production-backup-1 — cron\(0 1 \* \* \? \*\) \(UTC\)/);
    assert.match(text, /Bucket gad-production-backups \[protected\]/);
    assert.match(
      text,
      /Instance gad-production-db \[protected\] — postgres 15, db.t4g.medium, 20-200 GiB, multiAz true, deletionProtection true/,
    );
    assert.match(
      text,
      /RepositoryEnvironment gad-production-grupo_gad — GRUPO_GAD → production \(reviewers required\)/,
    );
    assert.match(text, /backupRpoHours: 12.5/);
    assert.match(
      text,
      /secret githubToken is not set in Pulumi.production.yaml: pulumi config set --secret --stack production githubToken/,
    );
    // Secrets never take a real value: the placeholder is all the plan ever passes on.
    const webhookless = plan.mocks
      .ofType("pulumi-nodejs:dynamic:Resource")
      .filter((r) => "secretString" in r.inputs);
    assert.ok(webhookless.length > 0);
    for (const v of webhookless)
      assert.match(JSON.stringify(v.inputs.secretString), /not read by the offline plan/);
    assert.equal(
      planned.every((r) => r.component.startsWith("gad:") || r.component === "(stack)"),
      true,
    );
  });

  it("draws the architecture the stack has, and the README shows the staging one", async () => {
    const plan = await mod.runPlan("staging");
    const mermaid = renderMermaid("staging", planResources(plan.mocks.resources));
    assert.match(mermaid, /^flowchart LR\n/);
    for (const edge of [
      "users --> alb",
      "alb --> gad_staging_api",
      "gad_staging_api --> rds",
      "backup --> bucket",
    ]) {
      assert.ok(mermaid.includes(edge), edge);
    }
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.equal(mod.withDiagram(readme, mermaid), readme, "run npm run plan -- staging --readme");
  });

  it("refuses an unknown stack, naming the ones there are", async () => {
    await assert.rejects(mod.runPlan("prod"), /no stack "prod": use one of production, staging/);
  });

  it("is a command: report on stdout, JSON and Mermaid files, usage errors exit 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gad-plan-"));
    const json = path.join(dir, "plan.json");
    const mmd = path.join(dir, "plan.mmd");
    const tsNode = path.join(ROOT, "node_modules", ".bin", "ts-node");
    const out = execFileSync(
      tsNode,
      ["--transpile-only", "scripts/plan.ts", "staging", "--json", json, "--mermaid", mmd],
      {
        cwd: ROOT,
        env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" },
      },
    ).toString();
    assert.match(out, /^Offline plan of stack "staging"/);
    const parsed = JSON.parse(fs.readFileSync(json, "utf8"));
    assert.equal(parsed.stack, "staging");
    assert.ok(parsed.resources.length > 50);
    assert.match(fs.readFileSync(mmd, "utf8"), /^flowchart LR/);
    let code = 0;
    try {
      execFileSync(tsNode, ["--transpile-only", "scripts/plan.ts"], { cwd: ROOT, stdio: "pipe" });
    } catch (err) {
      code = (err as { status: number }).status;
    }
    assert.equal(code, 2);
  });
});
