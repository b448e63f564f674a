import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, installMocks, valueOf } from "../mocks";
import type * as LoadModule from "../../config/load";

const BASE = { "aws:region": "sa-east-1" };
const SECRETS = {
  "gad:ghcrToken": "ghp_tokenvalue",
  "gad:appSecretKey": "s3cr3t-app-key",
  "gad:githubToken": "github_pat_value",
};

describe("load (configuration from the engine)", () => {
  const mocks = new RecordingMocks();
  let mod: typeof LoadModule;

  before(async () => {
    await installMocks(mocks, { stack: "staging" });
    mod = await import("../../config/load");
  });

  function setConfig(config: Record<string, string>, secretKeys: string[]) {
    pulumi.runtime.setAllConfig(config, secretKeys);
  }

  it("returns the typed config and every secret as a secret Output", async () => {
    setConfig({ ...BASE, ...SECRETS, "gad:backup.retentionDays": "21" }, Object.keys(SECRETS));
    const config = mod.load();
    assert.equal(config.stack, "staging");
    assert.equal(config.backup.retentionDays, 21);
    assert.equal(await pulumi.isSecret(config.secrets.ghcrToken), true);
    assert.equal(await pulumi.isSecret(config.secrets.appSecretKey), true);
    assert.equal(await valueOf(config.secrets.ghcrToken), "ghp_tokenvalue");
  });

  it("never lets a secret value reach an error message", () => {
    setConfig({ ...BASE, ...SECRETS, "gad:backup.retentionDays": "x" }, Object.keys(SECRETS));
    assert.throws(
      () => mod.load(),
      (err: Error) =>
        /gad:backup.retentionDays/.test(err.message) &&
        !/ghp_tokenvalue|s3cr3t-app-key/.test(err.message),
    );
  });

  it("refuses a secret that was set in plain text, without printing it", () => {
    setConfig({ ...BASE, ...SECRETS }, ["gad:appSecretKey"]);
    assert.throws(
      () => mod.load(),
      (err: Error) =>
        /gad:ghcrToken: must be stored encrypted/.test(err.message) &&
        !err.message.includes("ghp_tokenvalue"),
    );
  });

  it("refuses an empty secret", () => {
    setConfig({ ...BASE, ...SECRETS, "gad:appSecretKey": "" }, Object.keys(SECRETS));
    assert.throws(
      () => mod.load(),
      /gad:appSecretKey: must not be empty: pulumi config set --secret --stack staging appSecretKey$/m,
    );
  });

  it("lists missing secrets with the commands for this stack", () => {
    setConfig({ ...BASE }, []);
    assert.throws(() => mod.load(), /pulumi config set --secret --stack staging ghcrToken/);
  });
});
