import type { Command } from 'commander';
import { addUser, connectModels, listUsers, removeUser, USER_ROLES, type UserRole } from '../../models/index.js';

/** Opens MongoDB (MONGODB_URI or the embedded server) for one user command; users need no Redis. */
async function withModels(action: (models: Awaited<ReturnType<typeof connectModels>>['models']) => Promise<void>) {
  const db = await connectModels();
  try {
    await db.models.User.createIndexes();
    await action(db.models);
  } finally {
    await db.close();
  }
}

/** `docq user add|list|remove`: reviewer accounts for `docq serve` (token printed once, only its hash stored). */
export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('Reviewer accounts for the review API (docq serve).');
  user
    .command('add <name>')
    .description('create an account and print its token once (only its sha256 is stored)')
    .option('--role <role>', `one of ${USER_ROLES.join(', ')}`, 'reviewer')
    .action(async (name: string, opts: { role: string }) => {
      if (!(USER_ROLES as readonly string[]).includes(opts.role)) {
        process.stderr.write(`--role must be one of ${USER_ROLES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      await withModels(async (models) => {
        const made = await addUser(models, name, opts.role as UserRole);
        if ('code' in made) {
          process.stderr.write(`${made.message}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${made.token}\n`);
        process.stderr.write(`user ${made.name} (${made.role}) added; the token above is shown only now\n`);
      });
    });
  user
    .command('list')
    .description('list accounts (names and roles; tokens are not stored)')
    .action(async () =>
      withModels(async (models) => {
        for (const u of await listUsers(models))
          process.stdout.write(`${u.name}\t${u.role}\t${u.createdAt?.toISOString() ?? ''}\n`);
      }),
    );
  user
    .command('remove <name>')
    .description('delete an account: its token stops working at once')
    .action(async (name: string) =>
      withModels(async (models) => {
        if (!(await removeUser(models, name))) {
          process.stderr.write(`no user ${name}\n`);
          process.exitCode = 1;
          return;
        }
        process.stderr.write(`user ${name} removed\n`);
      }),
    );
}
