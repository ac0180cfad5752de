import { inflateSync } from 'node:zlib';

/** Pages in a PDF: page objects, not the /Pages tree nodes. */
export function pageObjects(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page(?![s\w])/g) ?? []).length;
}

/**
 * The text drawn in a PDF written by pdfkit with the standard fonts: every content stream is
 * inflated and its hex strings in TJ arrays decoded (Windows-1252 bytes). Enough to check what
 * a card says without a PDF library.
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const start = m.index + m[0].length;
    const end = src.indexOf('endstream', start);
    if (end < 0) break;
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of body.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const parts = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1'));
      out.push(parts.join(''));
    }
  }
  return out.join('\n');
}
