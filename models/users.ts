import { createHash, randomBytes } from 'node:crypto';
import type { Models } from './models.js';
import { USER_ROLES, type UserRecord, type UserRole } from './user.model.js';

export { USER_ROLES };

/**
 * Tokens are 32 random bytes (256 bits): nobody guesses one, so a plain sha256 of the token is as safe
 * to store as a slow password hash (bcrypt, scrypt exist for low-entropy passwords) and lets every
 * request find its user with one indexed lookup instead of a deliberately slow comparison.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type AddUserResult =
  | { readonly name: string; readonly role: UserRole; readonly token: string }
  | { readonly code: 'USER_EXISTS' | 'BAD_NAME'; readonly message: string };

/** Creates an account and returns its token: shown once, only its hash is kept. */
export async function addUser(models: Models, name: string, role: UserRole = 'reviewer'): Promise<AddUserResult> {
  if (!/^[\p{L}\p{N}._-]{1,64}$/u.test(name))
    return { code: 'BAD_NAME', message: 'a user name is 1–64 letters, digits, dots, dashes or underscores' };
  if (await models.User.exists({ name })) return { code: 'USER_EXISTS', message: `user ${name} exists` };
  const token = randomBytes(32).toString('base64url');
  await models.User.create({ name, role, tokenHash: hashToken(token) });
  return { name, role, token };
}

export async function listUsers(models: Models): Promise<Pick<UserRecord, 'name' | 'role' | 'createdAt'>[]> {
  return models.User.find({}, { _id: 0, name: 1, role: 1, createdAt: 1 }).sort({ name: 1 }).lean();
}

export async function removeUser(models: Models, name: string): Promise<boolean> {
  return (await models.User.deleteOne({ name })).deletedCount > 0;
}

/** The account a bearer token belongs to, or null. */
export async function userByToken(models: Models, token: string): Promise<{ name: string; role: UserRole } | null> {
  if (token.length < 20 || token.length > 200) return null;
  return models.User.findOne({ tokenHash: hashToken(token) }, { _id: 0, name: 1, role: 1 }).lean();
}
