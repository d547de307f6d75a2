import * as z from 'zod';
import { InvalidInputError } from './errors';
import { cleanLine } from './text/normalise-text';

/** Parses input with its zod schema, turning every problem into a field issue the client can show. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const at = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(root)';
  // An unknown field is named where it is, one issue each, so a client can show it by the field.
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: `Unknown field ${key}` }))
      : [{ path: at(issue.path), message: issue.message }],
  );
  throw new InvalidInputError(issues);
}

/**
 * A required text field whose every message names it: "Message is required" when it is missing or
 * blank, "Message must be at most 20,000 characters" past the limit. The text is cleaned first
 * (normalise-text.ts: `cleanLine` for one line, `cleanBody` for text with lines), so the limits
 * count what is stored and a field of nothing but controls is missing.
 */
export const requiredText = (label: string, max: number, clean: (s: string) => string = cleanLine) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? `${label} is required` : `${label} must be text`) })
    .overwrite(clean)
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max.toLocaleString('en-US')} characters`);
