// Draws the app icon (public/icon.svg: a white "D" on the brand blue) as PNG
// files for the web manifest, without any image tool: a 4×4-supersampled
// rasteriser of the icon's three shapes and a minimal PNG encoder on zlib.
// Used by vite.config.ts at build time and by the dev server.
import { deflateSync } from 'node:zlib';

const BLUE = [0x16, 0x77, 0xff];
const WHITE = [0xff, 0xff, 0xff];

/** A "D" of icon.svg in its 512-unit box: a bar from `left` to `join`, then a half-ellipse of radius `rx`. */
function inD(x: number, y: number, left: number, join: number, top: number, bottom: number, rx: number): boolean {
  if (y < top || y > bottom || x < left) return false;
  if (x <= join) return true;
  const cy = (top + bottom) / 2;
  const ry = (bottom - top) / 2;
  return ((x - join) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const dx = Math.max(radius - x, 0, x - (512 - radius));
  const dy = Math.max(radius - y, 0, y - (512 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

/** The colour of one point of the icon, or null where it is transparent. */
function sample(x: number, y: number, maskable: boolean): number[] | null {
  // A maskable icon fills its square (the platform cuts the shape); its "D" stays inside the 80 % safe circle.
  if (!maskable && !inRoundedSquare(x, y, 96)) return null;
  const outer = inD(x, y, 150, 260, 120, 392, 150);
  const counter = inD(x, y, 215, 257, 180, 332, 86);
  return outer && !counter ? WHITE : BLUE;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The icon as an RGBA PNG of `size`×`size` pixels. */
export function iconPng(size: number, maskable = false): Buffer {
  const grid = 4;
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    rows[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const colour = sample(((px + (sx + 0.5) / grid) * 512) / size, ((py + (sy + 0.5) / grid) * 512) / size, maskable);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = row + 1 + px * 4;
      if (covered > 0) {
        rows[at] = Math.round(r / covered);
        rows[at + 1] = Math.round(g / covered);
        rows[at + 2] = Math.round(b / covered);
        rows[at + 3] = Math.round((covered * 255) / (grid * grid));
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The PNG icons the manifest lists, by file name. */
export const ICONS: Record<string, () => Buffer> = {
  'icon-192.png': () => iconPng(192),
  'icon-512.png': () => iconPng(512),
  'icon-maskable-512.png': () => iconPng(512, true),
};
