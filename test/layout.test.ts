// The layout DESIGN.md fixes: components grouped by concern, pure rules below config/ and
// components/, imports pointing down (index.ts → components → rules; config → rules), the job
// free of the Pulumi program, a thin composition root, and tests mirroring the sources.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/stack-files";

/** Every .ts file below `dir` (relative to ROOT), sorted. */
function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts")) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/** The module specifiers a file imports, requires or re-exports. */
export function importsOf(text: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"']+)["']/g;
  for (const m of text.matchAll(pattern)) found.add(m[1]);
  return [...found];
}

/** The top-level part of the tree a relative import of `file` lands in, or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith(".")) return spec.startsWith("@") ? spec.split("/", 2).join("/") : spec;
  const resolved = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
  return resolved === "index" ? "index.ts" : resolved.split(path.sep)[0] + "/";
}

/** file → what it imports that `allowed` does not permit. */
function violations(dir: string, allowed: (to: string) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sources(dir)) {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const spec of importsOf(text)) {
      const to = target(file, spec);
      if (!allowed(to)) bad.push(`${file} imports ${spec} (${to})`);
    }
  }
  return bad;
}

const external = (to: string) => !to.endsWith("/") && to !== "index.ts";

describe("layout", () => {
  it("importsOf finds imports, re-exports, requires and dynamic imports", () => {
    const text = `import { a } from "./a";\nexport * from "../b";\nimport type { C } from "@x/c/d";\nconst e = require("./e");\nawait import("../../f");`;
    assert.deepEqual(importsOf(text), ["./a", "../b", "@x/c/d", "./e", "../../f"]);
  });

  it("rules/ imports only rules/ and Node.js: no Pulumi, no config, no components", () => {
    assert.deepEqual(
      violations("rules", (to) => to === "rules/" || (external(to) && !to.startsWith("@pulumi/"))),
      [],
    );
  });

  it("config/ imports config/ and rules/, never components/", () => {
    assert.deepEqual(
      violations("config", (to) => to === "config/" || to === "rules/" || external(to)),
      [],
    );
  });

  it("components/ import components/ and rules/, never config/", () => {
    assert.deepEqual(
      violations("components", (to) => to === "components/" || to === "rules/" || external(to)),
      [],
    );
  });

  it("backup/ (the job's image) imports nothing of the Pulumi program", () => {
    assert.deepEqual(
      violations(
        "backup",
        (to) => to === "backup/" || (external(to) && !to.startsWith("@pulumi/")),
      ),
      [],
    );
  });

  it("components/ has a folder per concern and only shared helpers at its top", () => {
    const entries = fs.readdirSync(path.join(ROOT, "components"), { withFileTypes: true });
    assert.deepEqual(
      entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
      ["backups", "github", "platform", "services"],
    );
    assert.deepEqual(
      entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
      ["ecs.ts", "iam.ts", "secret-value.ts"],
    );
  });

  it("file names inside a concern's folder do not repeat the folder's name", () => {
    const repeated = sources("components").filter((file) => {
      const [, folder, name] = file.split(path.sep);
      return name !== undefined && name.startsWith(`${folder.replace(/s$/, "")}-`);
    });
    assert.deepEqual(repeated, []);
  });

  it("index.ts is a thin composition root: at most 60 lines, no resource of its own", () => {
    const text = fs.readFileSync(path.join(ROOT, "index.ts"), "utf8");
    assert.ok(text.split("\n").length <= 60, `index.ts has ${text.split("\n").length} lines`);
    assert.doesNotMatch(text, /\bnew\s+[A-Za-z]/);
    assert.doesNotMatch(text, /getStack\(\)\s*===|stack\s*===\s*["']/);
  });

  it("source files stay under ~300 lines", () => {
    const long = [
      "index.ts",
      ...["backup", "components", "config", "rules", "policy", "scripts"].flatMap(sources),
    ]
      .map(
        (file) =>
          [file, fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").length] as const,
      )
      .filter(([, lines]) => lines > 310)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    assert.deepEqual(long, []);
  });

  it("test/ mirrors components/ and rules/: each test beside the source it tests", () => {
    /** Tests that cover several files of their folder, by what they exercise. */
    const acrossFiles = new Set([
      // run-task-once.ts and deployment-check.ts, as the dynamic-provider host loads them
      path.join("test", "components", "services", "dynamic-providers.test.ts"),
    ]);
    const orphans = [
      ...sources(path.join("test", "components")),
      ...sources(path.join("test", "rules")),
    ]
      .filter((t) => !acrossFiles.has(t))
      .filter(
        (t) =>
          !fs.existsSync(path.join(ROOT, t.replace(/^test\//, "").replace(/\.test\.ts$/, ".ts"))),
      );
    assert.deepEqual(orphans, []);
    for (const folder of ["backups", "github", "platform", "services"]) {
      assert.ok(fs.existsSync(path.join(ROOT, "test", "components", folder)), folder);
    }
  });
});
