// The `services` key: one entry per Fargate service, each checked field by field. Problems are
// reported as `gad:services.<name>.<field>: rule (got value)`, like every other key.
import { FieldReader } from "./field-reader";
import { ConfigReader } from "./reader";
import { suggest } from "./suggest";
import { checkFargateSize } from "../rules/fargate";
import { checkGhcrRepository, checkImageTag } from "../rules/names";
import { SERVICE_SECRET_KEYS } from "./schema";
import type { ServiceConfig } from "../rules/types";

/** Defaults of every field a service entry may leave out. */
export const SERVICE_DEFAULTS = {
  imageTag: "latest",
  cpu: 512,
  memory: 1024,
  desiredCount: 1,
  healthPath: "/health",
  public: false,
  database: false,
  spot: false,
  execCommand: false,
  cpuTarget: 60,
  requestsPerTarget: 0,
  writablePaths: ["/tmp"],
} as const;

const FIELDS = [
  "image",
  "imageTag",
  "port",
  "command",
  "migrationCommand",
  "environment",
  "secrets",
  "database",
  "cpu",
  "memory",
  "desiredCount",
  "healthPath",
  "public",
  "minCount",
  "maxCount",
  "cpuTarget",
  "requestsPerTarget",
  "spot",
  "writablePaths",
  "user",
  "execCommand",
];

/** Variables the program sets itself; a service may not set them. */
export const RESERVED_VARIABLES = ["ENVIRONMENT", "TRUSTED_PROXY_HOSTS"];
/** Names that hold credentials: only `secrets` may provide them. */
const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|^DATABASE_URL$|^REDIS_URL$/;
/** The application crashes on a comma list in these: JSON arrays only. */
const JSON_ARRAY_VARIABLES = ["ALLOWED_HOSTS", "WHITELIST_IDS"];

/** Problems of one variable of a service's plain environment; undefined when fine. */
export function checkVariable(name: string, value: unknown): string | undefined {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) return "must be an upper-case variable name";
  if (typeof value !== "string") return 'must be a string (quote numbers: "2")';
  if (RESERVED_VARIABLES.includes(name)) return "is set by the program; remove it";
  if (SECRET_LIKE.test(name))
    return `holds a credential: provide it under secrets, not environment`;
  if (JSON_ARRAY_VARIABLES.includes(name)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) return 'must be a JSON array such as ["api.example.org"]';
  }
  if (
    (name === "PGSSLMODE" && value === "disable") ||
    (name === "ASYNC_DB_SSL" && value === "false")
  ) {
    return "would turn TLS off, which RDS refuses: remove it";
  }
  return undefined;
}

/** Reads every service of the `services` key. */
export function readServices(r: ConfigReader): ServiceConfig[] {
  const all = r.object("services");
  if (!all) return [];
  const names = Object.keys(all);
  if (names.length === 0) r.fail("services", "must name at least one service", all);
  const services = names.map((name) => readService(r, name, all[name]));
  const exposed = services.filter((s) => s.public);
  if (exposed.length > 1) {
    r.fail(
      "services",
      `only one service can be public (behind the load balancer): ${exposed.map((s) => s.name).join(", ")}`,
    );
  }
  return services;
}

function readService(r: ConfigReader, name: string, raw: unknown): ServiceConfig {
  const key = `services.${name}`;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(name)) {
    r.fail(key, "a service name must be lower case letters, digits and -, up to 20 characters");
  }
  const entry = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw : {};
  if (entry !== raw) r.fail(key, "must be an object of service settings", raw);
  const v = entry as Record<string, unknown>;
  for (const field of Object.keys(v)) {
    if (!FIELDS.includes(field)) {
      const near = suggest(field, FIELDS);
      r.fail(
        `${key}.${field}`,
        near ? `unknown setting; did you mean ${near}?` : "unknown setting",
        v[field],
      );
    }
  }
  const f = new FieldReader(r, key, v);
  const port = f.optionalInteger("port", 1, 65535);
  const cpu = f.integer("cpu", SERVICE_DEFAULTS.cpu, 256, 16384);
  const memory = f.integer("memory", SERVICE_DEFAULTS.memory, 512, 122880);
  const size = checkFargateSize(cpu, memory);
  if (size) r.fail(`${key}.${size.field}`, size.rule, size.field === "cpu" ? cpu : memory);
  const desiredCount = f.integer("desiredCount", SERVICE_DEFAULTS.desiredCount, 0, 100);
  const minCount = f.integer("minCount", desiredCount, 0, 100);
  const maxCount = f.integer("maxCount", Math.max(desiredCount, minCount), 1, 100);
  if (minCount > desiredCount || desiredCount > maxCount) {
    r.fail(
      `${key}.desiredCount`,
      `must be from minCount (${minCount}) to maxCount (${maxCount})`,
      desiredCount,
    );
  }
  const isPublic = f.boolean("public", SERVICE_DEFAULTS.public);
  if (isPublic && port === undefined) {
    r.fail(`${key}.public`, "needs a port: the load balancer sends requests to it", true);
  }
  if (v.migrationCommand !== undefined && v.database !== true) {
    r.fail(
      `${key}.migrationCommand`,
      "needs database: true (a migration talks to the database)",
      v.migrationCommand,
    );
  }
  const healthPath = f.string("healthPath", SERVICE_DEFAULTS.healthPath);
  if (!/^\/[\x21-\x7e]*$/.test(healthPath))
    r.fail(`${key}.healthPath`, "must be a path starting with /", healthPath);
  if (healthPath === "/health/ready") {
    r.fail(
      `${key}.healthPath`,
      "always answers 503 in the application: use /health (liveness)",
      healthPath,
    );
  }
  return {
    name,
    image: {
      repository: f.string("image", undefined, checkGhcrRepository),
      tag: f.string("imageTag", SERVICE_DEFAULTS.imageTag, checkImageTag),
    },
    port,
    command: f.optionalList("command"),
    migrationCommand: f.optionalList("migrationCommand"),
    environment: f.map("environment", checkVariable),
    secrets: f.map("secrets", (variable, source) => {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(variable)) return "must be an upper-case variable name";
      if (RESERVED_VARIABLES.includes(variable)) return "is set by the program; remove it";
      return typeof source === "string" &&
        (SERVICE_SECRET_KEYS as readonly string[]).includes(source)
        ? undefined
        : `must name a secret config key: ${SERVICE_SECRET_KEYS.join(" or ")}`;
    }),
    database: f.boolean("database", SERVICE_DEFAULTS.database),
    cpu,
    memory,
    desiredCount,
    healthPath,
    public: isPublic,
    autoscaling: {
      minCount,
      maxCount,
      cpuTarget: f.integer("cpuTarget", SERVICE_DEFAULTS.cpuTarget, 10, 95),
      requestsPerTarget: f.integer(
        "requestsPerTarget",
        SERVICE_DEFAULTS.requestsPerTarget,
        0,
        100000,
      ),
    },
    spot: f.boolean("spot", SERVICE_DEFAULTS.spot),
    execCommand: f.boolean("execCommand", SERVICE_DEFAULTS.execCommand),
    user: f.optionalString("user", (u) =>
      /^(0|root)(:|$)/.test(u)
        ? "must not be root: name the image's own user (the application's is app)"
        : /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(u)
          ? undefined
          : "must be a user name or uid, optionally :group",
    ),
    writablePaths:
      f.optionalList("writablePaths", (p) =>
        /^\/[A-Za-z0-9._/-]+$/.test(p) ? undefined : "must be an absolute path",
      ) ?? SERVICE_DEFAULTS.writablePaths,
  };
}
