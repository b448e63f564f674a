// Composition root of the `gad` program: load the stack's configuration, build each concern
// from its slice of it, export what operators and the workflows need.
import { load } from "./config/load";
import { backupOutputs, buildBackups } from "./components/backups/build";
import { connectGithub } from "./components/github/integration";
import { buildPlatform, platformOutputs } from "./components/platform/build";
import { buildServices, webOutputs } from "./components/services/build";

export = async () => {
  const config = load();
  const { stack, region } = config;
  const name = `gad-${stack}`;
  const tags = (component: string) => ({ project: "gad", stack, component });

  const platform = buildPlatform(name, config, tags);
  const backups = await buildBackups(name, config, platform, tags);
  const web = await buildServices(name, config, platform, tags, backups.scheduled.appRoleReady);
  await connectGithub(name, {
    ...config,
    cluster: platform.cluster,
    services: web.services,
    appUrl: web.url,
    backupBucket: backups.bucket,
    tags: tags("github"),
  });

  return {
    ...webOutputs(web, config.rollout),
    region,
    ...backupOutputs(backups),
    ...platformOutputs(platform),
  };
};
