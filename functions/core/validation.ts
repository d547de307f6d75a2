import type { z } from 'zod';
import { InvalidInputError } from './errors';

/** Parses input with its zod schema, turning every problem into a field issue the client can show. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
  throw new InvalidInputError(issues);
}
