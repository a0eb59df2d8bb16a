// `regctl access grant|revoke|check`: who may pull from and push to the registry, with the
// documented roles per release (seed 003, "Accessing the Registry Directly"; seed 002, 5.1).
// flags → options → live (bindings; reviews for check) → plan → finish.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { summary } from '../catalog.js';
import { readLive } from './live.js';
import { toOptions, type AccessFlags, type AccessOptions } from './options.js';
import { planCheck, planGrant, planRevoke } from './plan.js';

const ROLES_HELP = `
Roles, as the documents give them:
  OpenShift 3.x  --pull   system:registry (cluster-wide) + admin in the project
                 --push   the same + system:image-builder in the project
                 --admin  admin in the project
  OpenShift 4.x  --pull   registry-viewer in the project
                 --push   registry-editor + system:image-builder in the project
                 --admin  admin in the project
The project is -n, else the kubeconfig context's namespace (as \`oc policy\`).`;

export function register(program: Command): void {
  const access = program.command('access').description(summary('access'));
  const levels = (c: Command) => c.option('--pull', 'may pull images').option('--push', 'may push images').option('--admin', "may administer the project's images and access");
  levels(access.command('grant').description('give USER (or --group) the roles to pull, push or administer in the project; already given: nothing changes').argument('[user]').option('--group <group>', 'a group instead of a user'))
    .addHelpText('after', `${ROLES_HELP}\n\nExamples:\n  regctl access grant alice --pull -n myproject\n  regctl access grant --group builders --push -n myproject\n  regctl access grant system:serviceaccount:ci:pusher --push -n myproject`)
    .action(action<AccessFlags>(run('grant')));
  levels(access.command('revoke').description('take the roles that give pull, push or admin in the project away from USER (or --group)').argument('[user]').option('--group <group>', 'a group instead of a user'))
    .addHelpText('after', `${ROLES_HELP}\nOn 3.x the cluster-wide system:registry is kept (other projects may need it); the warning says how to remove it.`)
    .action(action<AccessFlags>(run('revoke')));
  access
    .command('check')
    .description('ask the API server (SubjectAccessReviews) whether USER (or --group) may pull, push and administer in the project, and what grant fixes what is missing')
    .argument('[user]')
    .option('--group <group>', 'a group instead of a user')
    .addHelpText('after', '\nExamples:\n  regctl access check alice -n myproject\n  regctl access check alice -n myproject -o yaml   # the reviews and the answers')
    .action(action<AccessFlags>(run('check')));
}

function run(act: AccessOptions['action']) {
  return async (flags: AccessFlags, ctx: Context, args: string[]): Promise<void> => {
    const opts = toOptions(act, args[0], flags, ctx.globals.namespace);
    const live = await readLive(opts, await ctx.cluster());
    const plan = act === 'grant' ? planGrant(opts, live) : act === 'revoke' ? planRevoke(opts, live) : planCheck(opts, live);
    await finish(plan, ctx);
  };
}
