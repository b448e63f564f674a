// The image cannot be built here (no Docker engine); its Dockerfile's promises are checked as
// text, and the bundle it ships is the one every integration test runs.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { NODE_MAJOR, cliBundle } from "../support/cli";
import { ROOT } from "../support/stack-files";
import { RDS_CA_BUNDLE } from "../../components/platform/database";

const dockerfile = fs.readFileSync(path.join(ROOT, "backup", "Dockerfile"), "utf8");

describe("backup job image", () => {
  it("runs as a non-root user with the bundle as entrypoint", () => {
    assert.match(dockerfile, /^USER 10001:10001$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "\/app\/gad-backup\.js"\]$/m);
  });

  it("ships a PostgreSQL client at least as new as the servers it dumps", () => {
    const major = Number(/^ARG PG_MAJOR=(\d+)$/m.exec(dockerfile)?.[1]);
    assert.ok(major >= 15, `PG_MAJOR ${major}`);
    assert.match(dockerfile, /postgresql-client-\$\{PG_MAJOR\}/);
    assert.match(dockerfile, /PG_BIN_DIR=\/usr\/lib\/postgresql\/\$\{PG_MAJOR\}\/bin/);
  });

  it("carries RDS's certificate authorities where the database settings point", () => {
    const at = RDS_CA_BUNDLE.replace(/[./]/g, (c) => `\\${c}`);
    assert.match(
      dockerfile,
      new RegExp(
        `curl -fsSL -o ${at} \\\\\\s+https://truststore\\.pki\\.rds\\.amazonaws\\.com/global/global-bundle\\.pem`,
      ),
    );
    assert.match(dockerfile, new RegExp(`grep -q "BEGIN CERTIFICATE" ${at}`));
  });

  it("runs on the Node.js major the tests run on (.nvmrc), bundled for it, with no silenced notice", () => {
    const major = NODE_MAJOR;
    assert.equal(major, "24", "Node.js 24 LTS (supported until April 2028)");
    assert.match(dockerfile, new RegExp(`^ARG NODE_VERSION=${major}$`, "m"));
    assert.match(dockerfile, new RegExp(`--target=node${major} `));
    assert.match(dockerfile, /^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS build$/m);
    assert.doesNotMatch(dockerfile, /AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED/);
    assert.equal(process.versions.node.split(".")[0], major, "the tests run on that major too");
  });

  it("writes only under a declared volume", () => {
    assert.match(dockerfile, /BACKUP_TMPDIR=\/scratch/);
    assert.match(dockerfile, /^VOLUME \["\/scratch"\]$/m);
  });

  it("bundles no Pulumi code, and the bundle prints its help", () => {
    const bundle = cliBundle();
    assert.ok(
      !fs.readFileSync(bundle, "utf8").includes("@pulumi/"),
      "the job must not carry Pulumi",
    );
    const help = execFileSync(process.execPath, [bundle, "--help"]).toString();
    assert.match(help, /^gad-backup — /);
  });
});
