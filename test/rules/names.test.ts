import { strict as assert } from "assert";
import { checkGhcrRepository } from "../../rules/names";

describe("checkGhcrRepository", () => {
  it("accepts lower-case GHCR repositories, nested ones too", () => {
    assert.equal(checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api"), undefined);
    assert.equal(checkGhcrRepository("ghcr.io/eevans-d/gad-infra/backup"), undefined);
  });
  it("rejects upper case and shows the lower-case reference", () =>
    assert.match(
      checkGhcrRepository("ghcr.io/eevans-d/GRUPO_GAD/api") ?? "",
      /use ghcr.io\/eevans-d\/grupo_gad\/api/,
    ));
  it("rejects a tag or digest in the repository", () => {
    assert.match(checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api:master") ?? "", /imageTag/);
    assert.match(
      checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api@sha256:abc") ?? "",
      /imageTag/,
    );
  });
  it("rejects other registries", () =>
    assert.match(
      checkGhcrRepository("docker.io/library/postgres") ?? "",
      /ghcr.io\/<owner>\/<name>/,
    ));
});
