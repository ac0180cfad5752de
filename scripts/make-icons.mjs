// Draws Pawline's icon (a white paw on a warm orange rounded square) and writes the PNG
// sizes electron-builder and the tray need, plus a Windows .ico holding PNG images.
// No image library: a 4x4-supersampled rasteriser and a minimal PNG encoder on zlib.
// Run: node scripts/make-icons.mjs  (outputs are committed under resources/icons).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/icons');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1). Toes lean outwards like a real paw print.
const inEllipse = (x, y, cx, cy, rx, ry, rot = 0) => {
  const c = Math.cos(rot), s = Math.sin(rot);
  const dx = x - cx, dy = y - cy;
  const u = (dx * c + dy * s) / rx, v = (-dx * s + dy * c) / ry;
  return u * u + v * v <= 1;
};
const inRoundedSquare = (x, y, r) => {
  const m = 0.03; // margin so the shape is not clipped by the OS mask
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - m - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - m - r), 0);
  return qx * qx + qy * qy <= r * r && Math.abs(x - 0.5) <= 0.5 - m && Math.abs(y - 0.5) <= 0.5 - m;
};
const inPaw = (x, y) =>
  inEllipse(x, y, 0.5, 0.615, 0.135, 0.125) ||
  inEllipse(x, y, 0.5, 0.71, 0.215, 0.12) ||
  inEllipse(x, y, 0.265, 0.43, 0.075, 0.1, -0.45) ||
  inEllipse(x, y, 0.405, 0.3, 0.08, 0.108, -0.15) ||
  inEllipse(x, y, 0.595, 0.3, 0.08, 0.108, 0.15) ||
  inEllipse(x, y, 0.735, 0.43, 0.075, 0.1, 0.45);

const BG = [0xe0, 0x7a, 0x2f]; // warm orange
const FG = [0xff, 0xff, 0xff];

function draw(size) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4; // supersampling per axis
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size, v = (y + (sy + 0.5) / S) / size;
          if (!inRoundedSquare(u, v, 0.2)) continue;
          if (inPaw(u, v)) fg++;
          else bg++;
        }
      }
      const cover = (bg + fg) / (S * S);
      const i = (y * size + x) * 4;
      if (cover === 0) continue;
      for (let k = 0; k < 3; k++) px[i + k] = Math.round((BG[k] * bg + FG[k] * fg) / (bg + fg));
      px[i + 3] = Math.round(cover * 255);
    }
  }
  return encodePng(size, px);
}

// ICO with PNG-compressed entries (supported since Windows Vista; electron-builder wants >=256).
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const dir = Buffer.alloc(16 * images.length);
  let offset = 6 + dir.length;
  images.forEach(({ size, png }, i) => {
    const o = i * 16;
    dir[o] = size >= 256 ? 0 : size; // 0 means 256
    dir[o + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, o + 4); // colour planes
    dir.writeUInt16LE(32, o + 6); // bits per pixel
    dir.writeUInt32LE(png.length, o + 8);
    dir.writeUInt32LE(offset, o + 12);
    offset += png.length;
  });
  return Buffer.concat([header, dir, ...images.map((i) => i.png)]);
}

mkdirSync(outDir, { recursive: true });
const pngs = new Map();
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  const png = draw(size);
  pngs.set(size, png);
  writeFileSync(path.join(outDir, `${size}x${size}.png`), png);
}
writeFileSync(path.join(outDir, 'icon.png'), pngs.get(512));
writeFileSync(path.join(outDir, 'tray.png'), pngs.get(16));
writeFileSync(path.join(outDir, 'tray@2x.png'), pngs.get(32));
writeFileSync(path.join(outDir, 'icon.ico'), encodeIco([16, 32, 48, 256].map((size) => ({ size, png: pngs.get(size) }))));
console.log(`Icons written to ${path.relative(process.cwd(), outDir) || outDir}`);
