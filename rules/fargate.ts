// Fargate task sizes: which CPU and memory pairs ECS accepts for a Fargate task
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
// Shared by the config module and the components that size tasks.

/** Fargate task sizes: CPU units → allowed memory in MiB. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Which of the pair is wrong, and why; undefined for a valid Fargate size. */
export function checkFargateSize(
  cpu: number,
  memory: number,
): { field: "cpu" | "memory"; rule: string } | undefined {
  const allowed = FARGATE_SIZES[cpu];
  if (!allowed) {
    return {
      field: "cpu",
      rule: `must be a Fargate CPU value: ${Object.keys(FARGATE_SIZES).join(", ")}`,
    };
  }
  if (!allowed.includes(memory)) {
    const step = allowed[1] - allowed[0];
    const shown =
      allowed.length > 3
        ? `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${step}`
        : allowed.join(", ");
    return {
      field: "memory",
      rule: `is not a valid Fargate memory for cpu ${cpu}: use ${shown} MiB`,
    };
  }
  return undefined;
}
