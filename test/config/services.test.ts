import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RawConfig, parse } from "../../config/stack-config";
import { checkVariable } from "../../config/services";

const SECRETS = new Set(["gad:ghcrToken", "gad:appSecretKey", "gad:githubToken"]);
const BASE: RawConfig = {
  "aws:region": "sa-east-1",
  "gad:ghcrToken": "[secret]",
  "gad:appSecretKey": "[secret]",
  "gad:githubToken": "[secret]",
};
const API = { image: "ghcr.io/eevans-d/grupo_gad/api", port: 8000, public: true };

function problems(services: unknown, extra: RawConfig = {}, secrets = SECRETS): string {
  try {
    parse({ ...BASE, "gad:services": services, ...extra }, "staging", secrets);
  } catch (err) {
    assert.ok(err instanceof pulumi.RunError, String(err));
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(services)} to be rejected`);
}

describe("services configuration", () => {
  it("fills every field a service leaves out with the documented defaults", () => {
    const config = parse(
      {
        ...BASE,
        "gad:services": JSON.stringify({
          api: API,
          bot: { image: "ghcr.io/eevans-d/grupo_gad/bot" },
        }),
      },
      "staging",
      SECRETS,
    );
    const [api, bot] = config.services;
    assert.deepEqual(
      [
        bot.name,
        bot.port,
        bot.public,
        bot.database,
        bot.image.tag,
        bot.cpu,
        bot.memory,
        bot.desiredCount,
      ],
      ["bot", undefined, false, false, "latest", 512, 1024, 1],
    );
    assert.deepEqual(bot.autoscaling, {
      minCount: 1,
      maxCount: 1,
      cpuTarget: 60,
      requestsPerTarget: 0,
    });
    assert.deepEqual(bot.writablePaths, ["/tmp"]);
    assert.equal(api.port, 8000);
  });

  it("reports each bad field by its path, all at once", () => {
    const message = problems({
      api: {
        ...API,
        imageTag: "v 1",
        cpu: 256,
        memory: 4096,
        desiredCount: 5,
        maxCount: 3,
        healthPath: "/health/ready",
        enviroment: {},
        environment: {
          SECRET_KEY: "x",
          ALLOWED_HOSTS: "a.org,b.org",
          ENVIRONMENT: "prod",
          PGSSLMODE: "disable",
          workers: "2",
        },
        secrets: { REDIS_URL: "redis" },
        user: "root",
      },
      worker: { image: "ghcr.io/eevans-d/grupo_gad/bot", public: true },
      Bad_Name: { image: "ghcr.io/a/b" },
    });
    for (const line of [
      /gad:services.api.imageTag: must be an image tag/,
      /gad:services.api.memory: is not a valid Fargate memory for cpu 256/,
      /gad:services.api.desiredCount: must be from minCount \(5\) to maxCount \(3\) \(got 5\)/,
      /gad:services.api.healthPath: always answers 503 in the application: use \/health/,
      /gad:services.api.enviroment: unknown setting; did you mean environment\?/,
      /gad:services.api.environment.SECRET_KEY: holds a credential: provide it under secrets/,
      /gad:services.api.environment.ALLOWED_HOSTS: must be a JSON array/,
      /gad:services.api.environment.ENVIRONMENT: is set by the program/,
      /gad:services.api.environment.PGSSLMODE: would turn TLS off/,
      /gad:services.api.environment.workers: must be an upper-case variable name/,
      /gad:services.api.secrets.REDIS_URL: must name a secret config key: appSecretKey or redisUrl \(got "redis"\)/,
      /gad:services.worker.public: needs a port/,
      /gad:services.api.user: must not be root: name the image's own user \(the application's is app\) \(got "root"\)/,
      /gad:services.Bad_Name: a service name must be lower case/,
      /gad:services: only one service can be public \(behind the load balancer\): api, worker/,
    ]) {
      assert.match(message, line);
    }
  });

  it("a secret a service names must be set", () => {
    const message = problems({ api: { ...API, secrets: { REDIS_URL: "redisUrl" } } });
    assert.match(message, /gad:redisUrl: required secret is not set/);
    assert.match(message, /pulumi config set --secret --stack staging redisUrl/);
    const config = parse(
      {
        ...BASE,
        "gad:services": { api: { ...API, secrets: { REDIS_URL: "redisUrl" } } },
        "gad:redisUrl": "[secret]",
      },
      "staging",
      new Set([...SECRETS, "gad:redisUrl"]),
    );
    assert.deepEqual(config.services[0].secrets, { REDIS_URL: "redisUrl" });
  });

  it("refuses a services value that is not a map of services", () => {
    assert.match(problems("api"), /gad:services: must be an object/);
    assert.match(problems({}), /gad:services: must name at least one service/);
    assert.match(
      problems({ api: "ghcr.io/a/b" }),
      /gad:services.api: must be an object of service settings/,
    );
    assert.match(problems({ api: { port: 8000 } }), /gad:services.api.image: is required/);
  });

  it("checks plain variables", () => {
    assert.equal(checkVariable("UVICORN_WORKERS", "2"), undefined);
    assert.equal(checkVariable("ALLOWED_HOSTS", '["api.example.org"]'), undefined);
    assert.match(checkVariable("UVICORN_WORKERS", 2) ?? "", /must be a string/);
    assert.match(checkVariable("ASYNC_DB_SSL", "false") ?? "", /TLS off/);
    assert.match(checkVariable("DATABASE_URL", "postgresql://x") ?? "", /credential/);
  });
});
