// npm run -s ops -- <command>: the logic behind the workflows, runnable by hand too.
//
//   pr-comment --preview <stack>=<file> ... [--failed <stack>=<file>] --run-url URL --out FILE
//   drift --stack S --exit-code N --input FILE --run-url URL --out FILE   prints clean|drift|error
//   smoke --url URL [--attempts N] [--delay-ms N]
//   verify --region R --cluster C --service S --task-definition ARN
import * as fs from "fs";
import { parseArgs } from "util";
import { checkRollout } from "../components/services/deployment-check";
import { classifyDrift, driftIssueBody } from "./ops/drift";
import { parseDigest } from "./ops/preview-digest";
import { StackPreview, renderComment } from "./ops/pr-comment";
import { DEFAULT_SMOKE, smoke } from "./ops/smoke";

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

function pairs(values: string[] | undefined, flag: string): [string, string][] {
  return (values ?? []).map((v) => {
    const at = v.indexOf("=");
    if (at < 1) throw new Error(`--${flag} takes <stack>=<file> (got ${JSON.stringify(v)})`);
    return [v.slice(0, at), v.slice(at + 1)];
  });
}

function required(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) throw new Error(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
}

export async function runOps(argv: string[], out: Out): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      preview: { type: "string", multiple: true },
      failed: { type: "string", multiple: true },
      "run-url": { type: "string" },
      out: { type: "string" },
      stack: { type: "string" },
      "exit-code": { type: "string" },
      input: { type: "string" },
      url: { type: "string" },
      attempts: { type: "string" },
      "delay-ms": { type: "string" },
      region: { type: "string" },
      cluster: { type: "string" },
      service: { type: "string" },
      "task-definition": { type: "string" },
    },
  });
  switch (command) {
    case "pr-comment": {
      required(values, "run-url", "out");
      const previews: StackPreview[] = [
        ...pairs(values.preview, "preview").map(([stack, file]) => {
          const digest = parseDigest(fs.readFileSync(file, "utf8"));
          return digest ? { stack, digest } : { stack, error: `${file} is not preview JSON` };
        }),
        ...pairs(values.failed, "failed").map(([stack, file]) => ({
          stack,
          error: fs.readFileSync(file, "utf8").split("\n").slice(-40).join("\n"),
        })),
      ];
      fs.writeFileSync(values.out as string, renderComment(previews, values["run-url"] as string));
      return 0;
    }
    case "drift": {
      required(values, "stack", "exit-code", "input", "run-url", "out");
      const verdict = classifyDrift(
        Number(values["exit-code"]),
        fs.readFileSync(values.input as string, "utf8"),
      );
      out.stdout(`${verdict.kind}\n`);
      if (verdict.kind === "error") {
        out.stderr(`drift check of ${values.stack} failed: ${verdict.reason}\n`);
        return 1;
      }
      const body =
        verdict.kind === "drift"
          ? driftIssueBody(values.stack as string, verdict.resources, values["run-url"] as string)
          : "";
      fs.writeFileSync(values.out as string, body);
      return 0;
    }
    case "smoke": {
      required(values, "url");
      const result = await smoke(values.url as string, {
        ...DEFAULT_SMOKE,
        attempts: Number(values.attempts ?? DEFAULT_SMOKE.attempts),
        delayMs: Number(values["delay-ms"] ?? DEFAULT_SMOKE.delayMs),
      });
      for (const line of result.lines) out.stdout(`${line}\n`);
      return result.ok ? 0 : 1;
    }
    case "verify": {
      required(values, "region", "cluster", "service", "task-definition");
      const problem = await checkRollout({
        region: values.region as string,
        cluster: values.cluster as string,
        service: values.service as string,
        taskDefinitionArn: values["task-definition"] as string,
      });
      if (problem) {
        out.stderr(`service ${values.service}: ${problem}\n`);
        return 1;
      }
      out.stdout(`service ${values.service} runs ${values["task-definition"]}\n`);
      return 0;
    }
    default:
      out.stderr(
        "usage: npm run -s ops -- pr-comment|drift|smoke|verify ... (see scripts/ops.ts)\n",
      );
      return 2;
  }
}

if (require.main === module) {
  runOps(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`ops: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
