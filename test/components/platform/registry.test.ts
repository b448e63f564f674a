import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  RecordingMocks,
  digestOf,
  installMocks,
  programCalls,
  secretValue,
  settle,
  valueOf,
} from "../../mocks";
import type * as RegistryModule from "../../../components/platform/registry";

const REGISTRY_IMAGE = "docker:index/getRegistryImage:getRegistryImage";

describe("Registry", () => {
  const mocks = new RecordingMocks(programCalls());
  let mod: typeof RegistryModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/platform/registry");
  });
  beforeEach(() => {
    mocks.reset();
    mocks.calls[REGISTRY_IMAGE] = programCalls()[REGISTRY_IMAGE];
  });

  const build = () =>
    new mod.Registry("gad-test", { region: "sa-east-1", username: "eevans-d", token: "ghp_x" });

  it("pins a tag to the digest the registry reports", async () => {
    const image = build().pin("backup job", {
      repository: "ghcr.io/eevans-d/gad-infra/backup",
      tag: "latest",
    });
    assert.equal(
      await image,
      `ghcr.io/eevans-d/gad-infra/backup@${digestOf("ghcr.io/eevans-d/gad-infra/backup:latest")}`,
    );
  });

  it("authenticates to ghcr.io with the token, and keeps pull credentials in Secrets Manager", async () => {
    const registry = build();
    await settle();
    const provider = mocks.one("pulumi:providers:docker").inputs;
    assert.equal(provider.disableDockerDaemonCheck, "true", "no Docker engine is needed");
    assert.deepEqual(JSON.parse(secretValue(provider.registryAuth)), [
      { address: "ghcr.io", username: "eevans-d", password: "ghp_x" },
    ]);
    // Written by PutSecretValue (components/secret-value.ts): a refresh never reads it back.
    const version = mocks.one("pulumi-nodejs:dynamic:Resource").inputs;
    assert.deepEqual(JSON.parse(secretValue(version.secretString)), {
      username: "eevans-d",
      password: "ghp_x",
    });
    assert.equal(version.secretId, await valueOf(registry.credentialsSecretArn));
    assert.equal(version.region, "sa-east-1");
    assert.match(
      await valueOf(registry.credentialsSecretArn),
      /^arn:aws:secretsmanager:.*gad-test-ghcr/,
    );
  });

  it("a tag that does not resolve fails naming the purpose, image and tag, and what to check", async () => {
    mocks.calls[REGISTRY_IMAGE] = () => {
      throw Object.assign(new Error("manifest unknown"), {
        details: "Got error getting registry image digest: manifest unknown",
      });
    };
    const result = build().pin("backup job", {
      repository: "ghcr.io/eevans-d/gad-infra/backup",
      tag: "nope",
    });
    await assert.rejects(result, (err: unknown) => {
      assert.ok(err instanceof pulumi.RunError, String(err));
      assert.match(
        err.message,
        /^backup job: image ghcr\.io\/eevans-d\/gad-infra\/backup:nope could not be resolved to a digest \(.*manifest unknown\); check that the tag is published and that gad:ghcrToken/,
      );
      return true;
    });
  });

  it("refuses an answer that is not a digest", () => {
    assert.throws(() => mod.pinnedImage("postgis/postgis", "latest"), /not a digest/);
    assert.equal(
      mod.pinnedImage("postgis/postgis", `sha256:${"a".repeat(64)}`),
      `postgis/postgis@sha256:${"a".repeat(64)}`,
    );
  });

  it("names images outside GHCR without the token hint", () => {
    assert.equal(
      mod.unresolvedImageMessage("drill database", "postgis/postgis", "99-9", " not found "),
      "drill database: image postgis/postgis:99-9 could not be resolved to a digest (not found); check that the tag is published",
    );
  });

  it("refuses a username that is not a GitHub login", () => {
    assert.throws(
      () => new mod.Registry("bad", { region: "sa-east-1", username: "eevans d", token: "x" }),
      /Registry bad: username must be a GitHub user login \(got "eevans d"\)/,
    );
  });
});
