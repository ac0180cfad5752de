/**
 * The PDF's built-in Helvetica speaks Windows-1252 only (no font file to embed, so every desk
 * prints the same bytes). Text is folded into that set: accents Latin-1 has stay (Côté, Zoë),
 * others lose the accent (Łukasz -> Lukasz), emoji go, anything else becomes '?'.
 */
const CP1252_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const FOLD: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', ŀ: 'l', Ŀ: 'L', ſ: 's', '\u2212': '-', '\u2010': '-', '\u2011': '-', '\u00a0': ' ' };
const PICTO = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\u200d\ufe0e\ufe0f]/u;

function printable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRAS.includes(ch) || ch === '\n';
}

export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    if (printable(ch)) out += ch;
    else if (FOLD[ch]) out += FOLD[ch];
    else if (PICTO.test(ch)) continue;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      out += base && [...base].every(printable) ? base : '?';
    }
  }
  return out.replace(/[ ]{2,}/g, (m) => (m.length > 2 ? '  ' : m));
}
