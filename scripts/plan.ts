// npm run plan -- <stack> [--json FILE] [--mermaid FILE]
//
// Runs the real program under the SDK's mock engine with the committed stack file: no
// credentials, no Pulumi CLI, no network. Secret values are replaced by marked placeholders and
// look-ups (AZs, image digests, GitHub ids) by stand-ins, all listed at the end of the report.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_KEYS } from "../config/schema";
import { isSecretRequired } from "../config/stack-config";
import {
  CallHandler,
  RecordingMocks,
  callerIdentity,
  installMocks,
  settle,
} from "./lib/mock-engine";
import { ROOT, committedStacks, engineConfig } from "./lib/stack-files";
import { planResources, renderMermaid, renderPlan } from "./plan-report";

export const README = path.join(ROOT, "README.md");
const DIAGRAM_START = "<!-- plan-diagram:start (npm run plan -- staging --readme) -->";
const DIAGRAM_END = "<!-- plan-diagram:end -->";

/** `readme` with the Mermaid block between the diagram markers replaced by `mermaid`. */
export function withDiagram(readme: string, mermaid: string): string {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start < 0 || end < start)
    throw new Error(`README.md must contain ${DIAGRAM_START} and ${DIAGRAM_END}`);
  const block = `${DIAGRAM_START}\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n`;
  return readme.slice(0, start) + block + readme.slice(end);
}

/** Stands in for every secret value: visible in the report, never a real one. */
export const SECRET_PLACEHOLDER = "[secret: not read by the offline plan]";
/** The account the plan pretends to be in. */
export const PLAN_ACCOUNT = "000000000000";

/** The look-ups the program makes, answered without a network. */
export function planCalls(region: string, notes: string[]): Record<string, CallHandler> {
  const noted = new Set<string>();
  const note = (text: string) => {
    if (noted.has(text)) return;
    noted.add(text);
    notes.push(text);
  };
  return {
    "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity(PLAN_ACCOUNT),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => {
      note(`availability zones assumed: ${region}a, ${region}b, ${region}c`);
      return { id: region, names: ["a", "b", "c"].map((z) => region + z), zoneIds: [] };
    },
    "docker:index/getRegistryImage:getRegistryImage": (inputs) => {
      note(
        `image digests are stand-ins (sha256 of the reference); pulumi preview resolves the real ones`,
      );
      const name = String(inputs.name);
      return {
        id: name,
        name,
        sha256Digest: `sha256:${createHash("sha256").update(name).digest("hex")}`,
      };
    },
    "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": () => ({
      arn: `arn:aws:iam::${PLAN_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    }),
    "github:index/getUser:getUser": (inputs) => {
      note(`reviewer ids are not looked up (user ${inputs.username})`);
      return { id: "0", login: inputs.username };
    },
    "github:index/getTeam:getTeam": (inputs) => {
      note(`reviewer ids are not looked up (team ${inputs.slug})`);
      return { id: "0", slug: inputs.slug };
    },
  };
}

export interface Plan {
  readonly stack: string;
  readonly mocks: RecordingMocks;
  readonly outputs: Record<string, unknown>;
  readonly notes: string[];
}

/** Runs the program for `stack` under mocks and returns what it registered and exported. */
export async function runPlan(stack: string): Promise<Plan> {
  if (!committedStacks().includes(stack)) {
    throw new Error(
      `no stack "${stack}": use one of ${committedStacks().join(", ")} (Pulumi.<stack>.yaml)`,
    );
  }
  const base = engineConfig(stack);
  const region = base.config["aws:region"] ?? "sa-east-1";
  const notes: string[] = [];
  const config = { ...base.config };
  const secretKeys = new Set(base.secretKeys);
  for (const key of secretKeys) config[key] = SECRET_PLACEHOLDER;
  for (const key of Object.keys(SECRET_KEYS)) {
    const qualified = `gad:${key}`;
    if (isSecretRequired(key, config) && !(qualified in config)) {
      config[qualified] = SECRET_PLACEHOLDER;
      secretKeys.add(qualified);
      notes.push(
        `secret ${key} is not set in Pulumi.${stack}.yaml: pulumi config set --secret --stack ${stack} ${key}`,
      );
    }
  }
  const mocks = new RecordingMocks(planCalls(region, notes), { account: PLAN_ACCOUNT, region });
  await installMocks(mocks, { stack, config, secretKeys: [...secretKeys] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../index") as () => Promise<Record<string, unknown>>;
  const raw = await program();
  await settle();
  return { stack, mocks, outputs: await resolveOutputs(raw), notes };
}

/** Output values, with secrets shown as placeholders. */
async function resolveOutputs(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolved = await new Promise<unknown>((resolve) =>
    pulumi.output(raw).apply((v) => resolve(v)),
  );
  return resolved as Record<string, unknown>;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "string" },
        mermaid: { type: "string" },
        readme: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (err) {
    process.stderr.write(`plan: ${(err as Error).message}\n`);
    return 2;
  }
  const [stack] = parsed.positionals;
  if (parsed.values.help || !stack || parsed.positionals.length > 1) {
    process.stderr.write(
      `usage: npm run plan -- <stack> [--json FILE] [--mermaid FILE]   stacks: ${committedStacks().join(", ")}\n`,
    );
    return parsed.values.help ? 0 : 2;
  }
  let plan: Plan;
  try {
    plan = await runPlan(stack);
  } catch (err) {
    process.stderr.write(`plan: ${(err as Error).message}\n`);
    return 1;
  }
  const planned = planResources(plan.mocks.resources);
  process.stdout.write(renderPlan(stack, planned, plan.outputs, plan.notes) + "\n");
  if (parsed.values.json) {
    fs.writeFileSync(
      parsed.values.json,
      JSON.stringify(
        { stack, resources: planned, outputs: plan.outputs, notes: plan.notes },
        null,
        2,
      ) + "\n",
    );
  }
  if (parsed.values.mermaid) fs.writeFileSync(parsed.values.mermaid, renderMermaid(stack, planned));
  if (parsed.values.readme) {
    fs.writeFileSync(
      README,
      withDiagram(fs.readFileSync(README, "utf8"), renderMermaid(stack, planned)),
    );
    process.stderr.write(`wrote the diagram into ${README}\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`plan: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
