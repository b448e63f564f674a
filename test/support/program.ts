// Runs the whole `gad` program under recording mocks with a committed stack's configuration,
// as `pulumi up` would hand it over (secrets the stack requires set to test values).
import { RecordingMocks, installMocks, settle } from "../mocks";
import { engineConfig, withSecrets } from "./stack-files";
import { SECRET_KEYS } from "../../config/schema";
import { isSecretRequired } from "../../config/stack-config";

type Program = () => Promise<Record<string, unknown>>;

export type RunProgram = (
  stack: string,
  overrides?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Installs `mocks` and loads the program once; the returned function runs it per stack. */
export async function programRunner(mocks: RecordingMocks): Promise<RunProgram> {
  await installMocks(mocks);
  const program = (await import("../../index")).default as Program;
  return async (stack, overrides = {}) => {
    const base = engineConfig(stack, overrides);
    const required = Object.keys(SECRET_KEYS).filter((k) => isSecretRequired(k, base.config));
    await installMocks(mocks, { stack, ...withSecrets(base, required) });
    const outputs = await program();
    await settle();
    return outputs;
  };
}
