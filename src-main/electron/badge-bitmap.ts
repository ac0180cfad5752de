/**
 * Draws the Windows taskbar overlay badge (a red disc with the unread count) as raw BGRA
 * pixels for nativeImage.createFromBitmap. Windows has no app.setBadgeCount, so the count
 * must be an image. No electron import: it is plain pixel work.
 */

// 3x5 digit glyphs, one string per row; '#' is ink.
const GLYPHS: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
};

export interface Bitmap {
  width: number;
  height: number;
  /** BGRA, premultiplied-friendly (opaque or fully transparent pixels only at the disc edge). */
  data: Buffer;
}

export function badgeLabel(count: number): string {
  return count > 9 ? '9+' : String(Math.max(0, Math.floor(count)));
}

export function drawBadge(count: number, size = 32): Bitmap {
  const data = Buffer.alloc(size * size * 4);
  const r = size / 2;
  const put = (x: number, y: number, b: number, g: number, rd: number, a: number) => {
    const i = (y * size + x) * 4;
    data[i] = b;
    data[i + 1] = g;
    data[i + 2] = rd;
    data[i + 3] = a;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - r;
      const dy = y + 0.5 - r;
      if (dx * dx + dy * dy <= r * r) put(x, y, 0x2b, 0x1c, 0xc4, 0xff);
    }
  }
  const label = badgeLabel(count);
  const scale = label.length === 1 ? Math.floor(size / 8) : Math.floor(size / 10);
  const textW = label.length * 3 * scale + (label.length - 1) * scale;
  const textH = 5 * scale;
  const ox = Math.floor((size - textW) / 2);
  const oy = Math.floor((size - textH) / 2);
  [...label].forEach((ch, n) => {
    const glyph = GLYPHS[ch];
    if (!glyph) return;
    const gx = ox + n * 4 * scale;
    glyph.forEach((row, gy) => {
      [...row].forEach((cell, cx) => {
        if (cell !== '#') return;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) put(gx + cx * scale + sx, oy + gy * scale + sy, 0xff, 0xff, 0xff, 0xff);
      });
    });
  });
  return { width: size, height: size, data };
}
