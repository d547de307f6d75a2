import { escapeHtml } from './escape-html';
import { quoteCustomerText } from './quote-customer-text';

/** How the HTML part marks customer text (inline: mail clients drop style sheets). */
const QUOTE_STYLE = 'margin:0 0 1em;padding:.25em .75em;border-left:3px solid #8a8f98;color:#333;font-style:italic';

export const DEFANGED_NOTE = 'Web and email addresses and phone numbers in it are shown broken up, so that they cannot be opened.';

/**
 * Customer text quoted in a template, the same words in both parts: a label saying whose text it is,
 * the defanged quote ("> " in text, a marked blockquote in HTML) and, when defanging changed it, why
 * it looks broken up. Never a link: the HTML has no anchor, and the text cannot be autolinked.
 */
export function customerQuoteBlock(label: string, customerText: string): { text: string[]; html: string } {
  const quoted = quoteCustomerText(customerText);
  const note = quoted.defanged ? DEFANGED_NOTE : undefined;
  return {
    text: [label, `> ${quoted.text}`, ...(note ? [`(${note})`] : [])],
    html:
      `<p>${escapeHtml(label)}</p>\n<blockquote data-customer-text style="${QUOTE_STYLE}">${escapeHtml(quoted.text)}</blockquote>` +
      (note ? `\n<p style="color:#666">${escapeHtml(note)}</p>` : ''),
  };
}
