import PDFDocument from 'pdfkit';
import { toWinAnsi } from './winansi';

export interface CardInput {
  /** Recipient label lines: name, street, [line 2], city/region/postal code, [country]. */
  to: string[];
  body: string;
}

export interface BatchInput {
  batchId: string;
  /** Fixed into the PDF's metadata, so the same batch always yields the same bytes. */
  createdAt: Date;
  clinic: { name: string; lines: string[]; phone: string };
  cards: CardInput[];
}

// Points (1/72 in). US Letter portrait, two 6 x 4 in cards stacked and centred: the layout of
// common 2-up perforated postcard stock; crop marks in the margins for plain card stock.
const PAGE_W = 612;
const PAGE_H = 792;
const CARD_W = 432;
const CARD_H = 288;
const LEFT = (PAGE_W - CARD_W) / 2;
const TOP = (PAGE_H - 2 * CARD_H) / 2;
export const CARDS_PER_PAGE = 2;
const PAD = 18;
const HALF = CARD_W / 2;
// USPS keeps the bottom 5/8 in of the address side free for its barcode.
const BARCODE_CLEAR = 45;

export function pageCount(cards: number): number {
  return Math.ceil(cards / CARDS_PER_PAGE);
}

/** The batch as a print-ready PDF. Deterministic: same input, same bytes. */
export function renderBatch(input: BatchInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: { Title: `Postcards ${input.batchId}`, Author: toWinAnsi(input.clinic.name), Creator: 'Pawline', Producer: 'Pawline', CreationDate: input.createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const clinic = { name: toWinAnsi(input.clinic.name), lines: input.clinic.lines.map(toWinAnsi), phone: toWinAnsi(input.clinic.phone) };
  input.cards.forEach((card, i) => {
    const slot = i % CARDS_PER_PAGE;
    if (slot === 0) {
      doc.addPage({ size: 'LETTER', margin: 0 });
      cropMarks(doc);
    }
    drawCard(doc, LEFT, TOP + slot * CARD_H, clinic, card, `${input.batchId}  ${i + 1}/${input.cards.length}`);
  });
  doc.end();
  return done;
}

function cropMarks(doc: PDFKit.PDFDocument) {
  doc.save().lineWidth(0.5).strokeColor('#808080');
  const len = 18;
  const gap = 6;
  for (const y of [TOP, TOP + CARD_H, TOP + 2 * CARD_H]) {
    doc.moveTo(LEFT - gap - len, y).lineTo(LEFT - gap, y).stroke();
    doc.moveTo(LEFT + CARD_W + gap, y).lineTo(LEFT + CARD_W + gap + len, y).stroke();
  }
  for (const x of [LEFT, LEFT + CARD_W]) {
    doc.moveTo(x, TOP - gap - len).lineTo(x, TOP - gap).stroke();
    doc.moveTo(x, TOP + 2 * CARD_H + gap).lineTo(x, TOP + 2 * CARD_H + gap + len).stroke();
  }
  doc.restore();
}

/** Largest size from `max` down to `min` at which one line fits the width. */
function fitLine(doc: PDFKit.PDFDocument, text: string, font: string, max: number, min: number, width: number): number {
  let size = max;
  doc.font(font);
  while (size > min && doc.fontSize(size).widthOfString(text) > width) size -= 0.5;
  return size;
}

/**
 * One address side (a "divided back"): the clinic's name, return address and phone, then the
 * message, on the left; the stamp box and the recipient on the right.
 */
function drawCard(doc: PDFKit.PDFDocument, x: number, y: number, clinic: BatchInput['clinic'], card: CardInput, footer: string) {
  const leftW = HALF - PAD - 12;
  const line = (text: string, font: string, size: number, lx: number, ly: number, width: number) => {
    const s = fitLine(doc, text, font, size, Math.min(size, 6.5), width);
    doc.font(font).fontSize(s).text(text, lx, ly, { width, lineBreak: false, ellipsis: true });
    return ly + s * 1.2;
  };

  doc.save().lineWidth(0.5).strokeColor('#b0b0b0').moveTo(x + HALF, y + PAD).lineTo(x + HALF, y + CARD_H - PAD).stroke().restore();

  // Return address.
  doc.fillColor('#000000');
  let ly = line(clinic.name, 'Helvetica-Bold', 10, x + PAD, y + PAD, leftW);
  for (const l of clinic.lines) ly = line(l, 'Helvetica', 8, x + PAD, ly, leftW);
  if (clinic.phone) ly = line(`Tel. ${clinic.phone}`, 'Helvetica', 8, x + PAD, ly, leftW);

  // Message: the largest size that fits, then cut with an ellipsis rather than spill off the card.
  const bodyTop = ly + 12;
  const bodyBottom = y + CARD_H - PAD - 10;
  const body = toWinAnsi(card.body).trim();
  const avail = bodyBottom - bodyTop;
  let size = 10;
  doc.font('Helvetica');
  while (size > 7 && doc.fontSize(size).heightOfString(body, { width: leftW, lineGap: 1 }) > avail) size -= 0.5;
  doc.fontSize(size).text(body, x + PAD, bodyTop, { width: leftW, height: avail, lineGap: 1, ellipsis: true });

  doc.font('Helvetica').fontSize(6).fillColor('#808080').text(footer, x + PAD, y + CARD_H - PAD - 4, { width: leftW, lineBreak: false });
  doc.fillColor('#000000');

  // Stamp box, top right.
  const sw = 54;
  const sh = 62;
  const sx = x + CARD_W - PAD - sw;
  const sy = y + PAD;
  doc.save().lineWidth(0.5).strokeColor('#808080').rect(sx, sy, sw, sh).stroke().restore();
  doc.font('Helvetica').fontSize(6).fillColor('#808080').text('PLACE\nSTAMP\nHERE', sx, sy + sh / 2 - 10, { width: sw, align: 'center' });
  doc.fillColor('#000000');

  // Recipient: left-aligned block in the lower middle of the right half, above the barcode zone.
  const rx = x + HALF + 16;
  const rw = CARD_W - HALF - 16 - PAD;
  const lines = card.to.map(toWinAnsi).filter((l) => l.trim());
  const lh = 13;
  let ry = Math.min(y + 118, y + CARD_H - BARCODE_CLEAR - lines.length * lh);
  for (const l of lines) {
    line(l, 'Helvetica', 10.5, rx, ry, rw);
    ry += lh;
  }
}
