// Runs the whole `gad` program under recording mocks with a committed stack's configuration,
// as `pulumi up` would hand it over (secrets the stack requires set to test values).
import { RecordingMocks, installMocks, programCalls, settle } from "../mocks";
import { engineConfig, withSecrets } from "./stack-files";
import { SECRET_KEYS } from "../../config/schema";
import { isSecretRequired } from "../../config/stack-config";

type Program = () => Promise<Record<string, unknown>>;

/** Runs `stack`'s committed configuration (with `overrides`), under the stack name `as`. */
export type RunProgram = (
  stack: string,
  overrides?: Record<string, unknown>,
  as?: string,
) => Promise<Record<string, unknown>>;

/** Installs `mocks` and loads the program once; the returned function runs it per stack. */
export async function programRunner(mocks: RecordingMocks): Promise<RunProgram> {
  await installMocks(mocks);
  const program = (await import("../../index")).default as Program;
  return async (stack, overrides = {}, as = stack) => {
    const base = engineConfig(stack, overrides);
    const required = Object.keys(SECRET_KEYS).filter((k) => isSecretRequired(k, base.config));
    await installMocks(mocks, { ...withSecrets(base, required), stack: as });
    const outputs = await program();
    await settle();
    return outputs;
  };
}

/**
 * For a describe block: recording mocks that answer the program's look-ups (restored before
 * each test, so a test may replace one), and `run` for the whole program.
 */
export function useProgram(): { readonly mocks: RecordingMocks; readonly run: RunProgram } {
  const mocks = new RecordingMocks(programCalls());
  let runner: RunProgram | undefined;
  before(async () => {
    runner = await programRunner(mocks);
  });
  beforeEach(() => {
    mocks.reset();
    Object.assign(mocks.calls, programCalls());
  });
  return {
    mocks,
    run: (stack, overrides, as) => {
      if (!runner) throw new Error("internal: useProgram's before hook has not run");
      return runner(stack, overrides, as);
    },
  };
}
