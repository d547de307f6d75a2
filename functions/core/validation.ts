import * as z from 'zod';
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

/**
 * A required text field whose every message names it: "Message is required" when it is missing or
 * blank, "Message must be at most 20,000 characters" past the limit.
 */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? `${label} is required` : `${label} must be text`) })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max.toLocaleString('en-US')} characters`);
