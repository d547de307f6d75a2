import * as z from 'zod';
import { CaseTypeSchema } from './case';
import { emailAddress } from './email-address';
import { cleanBody, cleanLine } from './text/normalise-text';
import { requiredText } from './validation';

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
