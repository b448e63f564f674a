// Resource identities of the committed stacks. Pulumi knows a deployed resource by its URN: a
// new name, type token or parent chain is, to the engine, a new resource beside a deleted one —
// for a bucket or a database, a replacement (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
// test/fixtures/urns/<stack>.txt lists the URNs the stacks have had; each must still be a
// resource's URN, or one of its `aliases`, or the change would delete it from the cloud.
//
// A resource removed on purpose: delete its line by hand. New resources: run
//   UPDATE_URN_FIXTURES=1 npm test -- --grep "resource identities"
// which adds them and never drops a line.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { RecordedResource } from "./mocks";
import { useProgram } from "./support/program";
import { ROOT, committedStacks } from "./support/stack-files";

const FIXTURES = path.join(ROOT, "test", "fixtures", "urns");
const UPDATE = process.env.UPDATE_URN_FIXTURES === "1";

export interface UrnComparison {
  /** Fixture URNs no resource has, as URN or alias: the change would delete them. */
  readonly lost: string[];
  /** Resources whose URN is new and aliases nothing the fixture has. */
  readonly added: string[];
  /** Fixture URNs reached only through an alias: `old → new`. */
  readonly moved: string[];
}

/** What `resources` make of the URNs in `fixture`. */
export function compareUrns(
  fixture: readonly string[],
  resources: readonly Pick<RecordedResource, "urn" | "aliases">[],
): UrnComparison {
  const known = new Set(fixture);
  const current = new Set(resources.map((r) => r.urn));
  const moved: string[] = [];
  const reached = new Set<string>();
  const added: string[] = [];
  for (const r of resources) {
    if (known.has(r.urn)) {
      reached.add(r.urn);
      continue;
    }
    const old = r.aliases.filter((a) => known.has(a) && !current.has(a));
    for (const a of old) {
      reached.add(a);
      moved.push(`${a} → ${r.urn}`);
    }
    if (old.length === 0) added.push(r.urn);
  }
  const lost = fixture.filter((u) => !reached.has(u));
  return { lost, added: added.sort(), moved: moved.sort() };
}

function readFixture(stack: string): string[] {
  const file = path.join(FIXTURES, `${stack}.txt`);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

describe("resource identities (URNs)", () => {
  const { mocks, run } = useProgram();

  it("compareUrns: a renamed resource without an alias is lost, with one it moved", () => {
    const fixture = ["urn:a", "urn:b"];
    assert.deepEqual(compareUrns(fixture, [{ urn: "urn:a", aliases: [] }]), {
      lost: ["urn:b"],
      added: [],
      moved: [],
    });
    assert.deepEqual(
      compareUrns(fixture, [
        { urn: "urn:a", aliases: [] },
        { urn: "urn:c", aliases: ["urn:b"] },
        { urn: "urn:d", aliases: [] },
      ]),
      { lost: [], added: ["urn:d"], moved: ["urn:b → urn:c"] },
    );
  });

  for (const stack of committedStacks()) {
    it(`${stack}: every URN the stack has had is still a resource's URN or alias`, async () => {
      await run(stack);
      const fixture = readFixture(stack);
      const urns = mocks.resources.map((r) => r.urn);
      assert.equal(new Set(urns).size, urns.length, "two resources share a URN");
      const { lost, added, moved } = compareUrns(fixture, mocks.resources);
      if (UPDATE) {
        assert.deepEqual(lost, [], "refusing to drop URNs: delete their lines by hand if meant");
        fs.mkdirSync(FIXTURES, { recursive: true });
        const lines = [...new Set([...fixture, ...added])].sort();
        fs.writeFileSync(path.join(FIXTURES, `${stack}.txt`), lines.join("\n") + "\n");
        return;
      }
      assert.deepEqual(
        lost,
        [],
        "these resources would be deleted (and recreated under a new URN): keep their names, " +
          "type tokens and parents, or add an `aliases` entry naming the old URN",
      );
      assert.deepEqual(
        added,
        [],
        'new resources: add them with UPDATE_URN_FIXTURES=1 npm test -- --grep "resource identities"',
      );
      assert.ok(fixture.length > 100, `${stack}: the fixture lists ${fixture.length} URNs`);
      // Every move is deliberate: the list is what the closing note of the move names.
      assert.deepEqual(moved, EXPECTED_MOVES[stack] ?? []);
    });
  }
});

/**
 * URNs that changed, per stack, each covered by an alias: `old → new`. The stack's alarm topic
 * (its key, topic and policy; e-mail subscriptions too, where a stack has them) moved from the
 * backups' alarms to its own component when components were grouped by concern.
 */
const EXPECTED_MOVES: Record<string, string[]> = Object.fromEntries(
  ["production", "staging"].map((stack) => {
    const urn = (chain: string, name: string) => `urn:pulumi:${stack}::gad::${chain}::${name}`;
    const before = "gad:backup:ScheduledBackup$gad:backup:BackupAlarms";
    const after = "gad:platform:AlarmTopic";
    const moves = [
      ["aws:kms/key:Key", `gad-${stack}-alarms-key`],
      ["aws:sns/topic:Topic", `gad-${stack}-alarms`],
      ["aws:sns/topicPolicy:TopicPolicy", `gad-${stack}-alarms`],
    ].map(([type, name]) => `${urn(`${before}$${type}`, name)} → ${urn(`${after}$${type}`, name)}`);
    return [stack, moves];
  }),
);
