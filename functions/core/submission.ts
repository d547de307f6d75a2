import * as z from 'zod';
import { CaseTypeSchema } from './case';
import { emailAddress } from './email-address';
import { cleanBody, cleanLine } from './text/normalise-text';

/**
 * HTML forms post empty strings for untouched optional fields: treat them as absent, and so a
 * field that holds nothing once cleaned. Optional fields are all single-line.
 */
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? cleanLine(v) || undefined : v), z.string().max(max).optional());

/** Checkbox values as browsers and JSON clients send them. */
const consent = z.preprocess(
  (v) => (v === 'on' || v === 'true' || v === '1' || v === 'yes' ? true : v),
  z.literal(true, { error: 'Privacy consent is required to open a case' }),
);

/**
 * A required text field whose messages name it, whatever the client sent. The text is cleaned
 * first (normalise-text.ts), so the limits count what is stored and a field of controls is missing.
 */
const requiredText = (label: string, max: number, clean: (s: string) => string = cleanLine) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? `${label} is required` : `${label} must be text`) })
    .overwrite(clean)
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

/** The web-form submission (POST /v1/cases), the same for JSON and form-encoded bodies. */
export const CaseSubmissionSchema = z.object({
  type: z.preprocess((v) => (v === '' ? undefined : v), CaseTypeSchema.default('inquiry')),
  name: requiredText('Name', 200),
  email: requiredText('Email', 254).toLowerCase().pipe(emailAddress()),
  subject: requiredText('Subject', 200),
  message: requiredText('Message', 20_000, cleanBody),
  phone: optionalText(32).refine((v) => v === undefined || /^\+?[0-9 ().-]{6,32}$/.test(v), 'Enter a valid phone number'),
  orderReference: optionalText(64),
  privacyConsent: consent,
});
export type CaseSubmission = z.infer<typeof CaseSubmissionSchema>;
