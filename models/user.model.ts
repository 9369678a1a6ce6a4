import { Schema, type Connection, type Model } from 'mongoose';

export const USER_ROLES = ['reviewer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A reviewer account: the token itself is never stored, only its sha256 (see users.ts). */
export interface UserRecord {
  name: string;
  role: UserRole;
  tokenHash: string;
  createdAt?: Date;
}

export const userSchema = new Schema<UserRecord>(
  {
    name: { type: String, required: true, match: /^[\p{L}\p{N}._-]{1,64}$/u },
    role: { type: String, enum: USER_ROLES, required: true },
    tokenHash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
  },
  { collection: 'users', timestamps: { createdAt: true, updatedAt: false } },
);

userSchema.index({ name: 1 }, { unique: true });
userSchema.index({ tokenHash: 1 }, { unique: true });

export function userModel(connection: Connection): Model<UserRecord> {
  return (
    (connection.models['User'] as Model<UserRecord> | undefined) ?? connection.model<UserRecord>('User', userSchema)
  );
}
