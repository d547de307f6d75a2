import type { SeededRandom } from './seeded-random';

export interface DemoAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A 1x1 PNG (a photo stand-in): small, valid, the same every time. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A one-page PDF saying what it is (a receipt stand-in), different for each case. */
function receiptPdf(index: number, amount: string): Buffer {
  const text = `caseflow demo receipt ${index + 1}: ${amount} EUR`;
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The files a customer sends with an email: a receipt, sometimes a photo of the problem too. */
export function demoAttachments(random: SeededRandom, index: number): DemoAttachment[] {
  const amount = `${random.int(20, 900)}.${String(random.int(0, 99)).padStart(2, '0')}`;
  const files: DemoAttachment[] = [{ filename: `receipt-${index + 1}.pdf`, contentType: 'application/pdf', content: receiptPdf(index, amount) }];
  if (random.chance(0.5)) files.push({ filename: `photo-${index + 1}.png`, contentType: 'image/png', content: TINY_PNG });
  return files;
}
