/**
 * The user's secrets as the API sends and accepts them: names, whether each is stored and which
 * pools name it; a value only ever goes in (secrets.set), never out. Mirrors
 * main/settings/user-secrets.ts (kept equal by contract-checks.ts). Browser-safe: zod only.
 */
import { z } from 'zod';

/** A secret's name; the core checks its syntax (user-secrets.ts) and names the rule. */
export const secretNameInputSchema = z.string().min(1).max(64);

export const secretInfoSchema = z.object({
  name: z.string(),
  stored: z.boolean(),
  pools: z.array(z.string()),
});

export const secretListSchema = z.object({ secrets: z.array(secretInfoSchema) });

export const secretSetInputSchema = z.strictObject({
  name: secretNameInputSchema,
  /** The value; checked again by the core (not empty, at most 64 KiB). */
  value: z
    .string()
    .min(1)
    .max(64 * 1024),
});

export const secretRemoveInputSchema = z.strictObject({ name: secretNameInputSchema });
