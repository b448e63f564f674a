// One pull-request comment for every stack's preview: what each stack would change, the
// dangerous changes (stateful resources replaced or deleted) first, details collapsed, and the
// whole kept under GitHub's comment limit.
import { PreviewDigest, STATEFUL_TYPES, changes, urnParts } from "./preview-digest";

/** Marks the comment the workflow keeps up to date (it finds it by this line). */
export const COMMENT_MARKER = "<!-- gad-infra:preview -->";
/** GitHub refuses comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

export interface StackPreview {
  readonly stack: string;
  /** Parsed preview, or undefined when the preview failed. */
  readonly digest?: PreviewDigest;
  /** Why the preview failed (its last lines). */
  readonly error?: string;
}

export function counts(
  digest: PreviewDigest,
): Record<"create" | "update" | "replace" | "delete", number> {
  const result = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes(digest)) result[c.kind as keyof typeof result] += 1;
  return result;
}

/** Stateful resources this preview would replace or delete: the lines a reviewer must see. */
export function dangers(p: StackPreview): string[] {
  if (!p.digest) return [];
  return changes(p.digest)
    .filter((c) => c.kind === "replace" || c.kind === "delete")
    .map((c) => ({ ...c, ...urnParts(c.step.urn) }))
    .filter((c) => STATEFUL_TYPES.includes(c.type))
    .map((c) => {
      const why = c.step.replaceReasons?.length
        ? ` (because of ${c.step.replaceReasons.join(", ")})`
        : "";
      return `**${p.stack}**: ${c.kind === "delete" ? "deletes" : "replaces"} \`${c.type}\` \`${c.name}\`${why}`;
    });
}

function detailLines(p: StackPreview): string[] {
  if (!p.digest) return ["```", p.error ?? "preview failed", "```"];
  return changes(p.digest).map(({ kind, step }) => {
    const { type, name } = urnParts(step.urn);
    const props = step.diffReasons?.length ? `: ${step.diffReasons.join(", ")}` : "";
    return `- ${kind} \`${type}\` \`${name}\`${props}`;
  });
}

function summaryLine(p: StackPreview): string {
  if (!p.digest) return `| ${p.stack} | preview failed | | | |`;
  const c = counts(p.digest);
  return `| ${p.stack} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} |`;
}

/**
 * The comment's markdown. Details are cut, stack by stack from the end, until the whole fits
 * `limit`; a cut says how many lines it left out and where to read them.
 */
export function renderComment(
  previews: readonly StackPreview[],
  runUrl: string,
  limit = GITHUB_COMMENT_LIMIT,
): string {
  const head = [COMMENT_MARKER, "## Pulumi preview", ""];
  const warnings = previews.flatMap(dangers);
  if (warnings.length > 0) {
    head.push(
      "> [!CAUTION]",
      "> Stateful resources would be replaced or deleted:",
      ...warnings.map((w) => `> - ${w}`),
      "",
    );
  }
  head.push("| stack | create | update | replace | delete |", "| --- | --- | --- | --- | --- |");
  head.push(...previews.map(summaryLine), "");
  const details = previews.map((p) => detailLines(p));
  const shown = details.map((d) => d.length);
  const section = (p: StackPreview, i: number) => {
    const lines = details[i].slice(0, shown[i]);
    const left = details[i].length - shown[i];
    if (left > 0) lines.push(`- … ${left} more line(s) left out: see the workflow log`);
    const title = p.digest ? `${changes(p.digest).length} change(s)` : "failed";
    return [`<details><summary>${p.stack}: ${title}</summary>`, "", ...lines, "", "</details>", ""];
  };
  const render = () => [...head, ...previews.flatMap(section), `Full output: ${runUrl}`].join("\n");
  let text = render();
  for (let i = details.length - 1; text.length > limit && i >= 0; i--) {
    while (text.length > limit && shown[i] > 0) {
      shown[i] = Math.floor(shown[i] / 2);
      text = render();
    }
  }
  return text.length > limit ? text.slice(0, limit - 1) : text;
}
