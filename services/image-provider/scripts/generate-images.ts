// Draws the shop's pictures from SVG we write here and renders them with
// sharp: the 10 product JPEGs (file names = the catalog's `picture` column,
// spec §7), the home-page banner and the logo. Run after changing a drawing:
//   node services/image-provider/scripts/generate-images.ts
// The output is committed, so the service itself needs no image library.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
const SIZE = 800;

/** A soft studio backdrop with a floor shadow under the product. */
function backdrop(top: string, bottom: string, shadowY = 690, shadowW = 260): string {
  return `
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/>
    </linearGradient>
    <radialGradient id="shadow"><stop offset="0" stop-color="#000" stop-opacity=".35"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>
    <linearGradient id="metal" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#d9dde3"/><stop offset=".5" stop-color="#9aa1ab"/><stop offset="1" stop-color="#5d636c"/>
    </linearGradient>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#bfe3ff"/><stop offset=".5" stop-color="#3b6ea8"/><stop offset="1" stop-color="#0d2544"/>
    </linearGradient>
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>
  <ellipse cx="400" cy="${shadowY}" rx="${shadowW}" ry="28" fill="url(#shadow)"/>`;
}

/** A cylinder (telescope tube) drawn horizontally, then rotated about its centre. */
function tube(o: {
  cx: number;
  cy: number;
  length: number;
  radius: number;
  angle: number;
  color: string;
  dark: string;
  id: string;
}): string {
  const { cx, cy, length, radius, angle, color, dark, id } = o;
  const x = cx - length / 2;
  const y = cy - radius;
  return `
  <defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="${color}"/><stop offset=".35" stop-color="#ffffff" stop-opacity=".85"/>
    <stop offset=".45" stop-color="${color}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs>
  <g transform="rotate(${angle} ${cx} ${cy})">
    <rect x="${x}" y="${y}" width="${length}" height="${radius * 2}" rx="10" fill="url(#${id})"/>
    <rect x="${x + length - 26}" y="${y - 8}" width="34" height="${radius * 2 + 16}" rx="8" fill="#1d2129"/>
    <ellipse cx="${x + length + 8}" cy="${cy}" rx="9" ry="${radius + 2}" fill="url(#glass)"/>
    <rect x="${x - 14}" y="${cy - radius * 0.45}" width="20" height="${radius * 0.9}" rx="4" fill="#1d2129"/>
    <rect x="${x + length * 0.42}" y="${y - 6}" width="${length * 0.12}" height="${radius * 2 + 12}" rx="5" fill="#2a2f38"/>
  </g>`;
}

function tripod(cx: number, top: number, bottom: number, spread: number, color = '#2b2f36'): string {
  return `
  <g stroke="${color}" stroke-width="12" stroke-linecap="round">
    <line x1="${cx}" y1="${top}" x2="${cx - spread}" y2="${bottom}"/>
    <line x1="${cx}" y1="${top}" x2="${cx + spread}" y2="${bottom}"/>
    <line x1="${cx}" y1="${top}" x2="${cx + spread * 0.15}" y2="${bottom + 20}"/>
  </g>
  <g stroke="${color}" stroke-width="5" opacity=".8">
    <line x1="${cx - spread * 0.45}" y1="${top + (bottom - top) * 0.48}" x2="${cx + spread * 0.45}" y2="${top + (bottom - top) * 0.48}"/>
  </g>
  <rect x="${cx - 34}" y="${top - 16}" width="68" height="34" rx="8" fill="#1d2129"/>`;
}

const stars = (n: number, w: number, h: number, seed: number): string => {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from(
    { length: n },
    () =>
      `<circle cx="${(rnd() * w).toFixed(1)}" cy="${(rnd() * h).toFixed(1)}" r="${(rnd() * 1.8 + 0.4).toFixed(1)}" fill="#fff" opacity="${(rnd() * 0.7 + 0.3).toFixed(2)}"/>`,
  ).join('');
};

const svg = (body: string, w = SIZE, h = SIZE) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;

const products: Record<string, string> = {
  'NationalParkFoundationExplorascope.jpg': svg(`
    ${backdrop('#eef6ee', '#cfe3d2', 700, 240)}
    ${tripod(400, 430, 680, 170, '#3a4a3c')}
    ${tube({ cx: 400, cy: 350, length: 420, radius: 62, angle: -28, color: '#2f7d4f', dark: '#153d26', id: 't1' })}
    <g transform="rotate(-28 400 350)"><rect x="330" y="270" width="70" height="16" rx="4" fill="#e8c547"/>
    <text x="250" y="360" font-family="DejaVu Sans" font-weight="bold" font-size="26" fill="#f3f7f1" opacity=".9">EXPLORA</text></g>`),

  'StarsenseExplorer.jpg': svg(`
    ${backdrop('#eef1f8', '#c9d2e6', 705, 250)}
    ${tripod(400, 440, 690, 185)}
    ${tube({ cx: 400, cy: 330, length: 470, radius: 48, angle: -22, color: '#24345c', dark: '#0c1326', id: 't2' })}
    <g transform="rotate(-22 400 330)">
      <rect x="300" y="238" width="90" height="48" rx="8" fill="#111"/>
      <rect x="306" y="243" width="78" height="38" rx="5" fill="#2f7fd6"/>
      <circle cx="330" cy="262" r="3" fill="#fff"/><circle cx="352" cy="255" r="2" fill="#fff"/><circle cx="365" cy="270" r="2.5" fill="#fff"/>
      <line x1="330" y1="262" x2="352" y2="255" stroke="#fff" stroke-width="1.5"/><line x1="352" y1="255" x2="365" y2="270" stroke="#fff" stroke-width="1.5"/>
    </g>`),

  'EclipsmartTravelRefractorTelescope.jpg': svg(`
    ${backdrop('#fff6e8', '#f1d9b3', 690, 230)}
    <rect x="520" y="470" width="170" height="210" rx="34" fill="#f08a24"/>
    <rect x="545" y="500" width="120" height="90" rx="18" fill="#d96f0d"/>
    <path d="M560 470 q45 -60 90 0" stroke="#b35a0a" stroke-width="14" fill="none"/>
    ${tripod(330, 470, 670, 120, '#333')}
    ${tube({ cx: 330, cy: 400, length: 300, radius: 40, angle: -18, color: '#f2f2f2', dark: '#9a9a9a', id: 't3' })}
    <g transform="rotate(-18 330 400)"><rect x="240" y="380" width="150" height="40" rx="6" fill="#f08a24" opacity=".9"/>
    <circle cx="410" cy="400" r="12" fill="#f6c744"/></g>`),

  'LensCleaningKit.jpg': svg(`
    ${backdrop('#eef7fb', '#cfe6f0', 660, 280)}
    <path d="M130 640 L330 560 L520 640 L320 700 Z" fill="#7fb9d6"/>
    <path d="M150 640 L330 572 L500 640" stroke="#5c9dbd" stroke-width="4" fill="none" stroke-dasharray="10 8"/>
    <rect x="250" y="300" width="120" height="300" rx="28" fill="#ffffff" stroke="#bcd3de" stroke-width="4"/>
    <rect x="250" y="400" width="120" height="110" fill="#2a6fb0"/>
    <text x="310" y="465" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="24" fill="#fff">LENS</text>
    <rect x="282" y="240" width="56" height="70" rx="8" fill="#2a2f38"/><rect x="298" y="205" width="24" height="40" rx="6" fill="#2a2f38"/>
    <g transform="rotate(22 540 420)">
      <rect x="520" y="300" width="40" height="260" rx="18" fill="#c0392b"/>
      <rect x="515" y="250" width="50" height="60" rx="6" fill="url(#metal)"/>
      <path d="M512 252 q28 -120 56 0 Z" fill="#3b3026"/>
    </g>`),

  'RoofBinoculars.jpg': svg(`
    ${backdrop('#f3f3f1', '#d7d7d0', 690, 250)}
    <g>
      <rect x="200" y="230" width="150" height="400" rx="40" fill="#2b2f36"/>
      <rect x="450" y="230" width="150" height="400" rx="40" fill="#2b2f36"/>
      <rect x="215" y="300" width="120" height="260" rx="20" fill="#3e6b4a"/>
      <rect x="465" y="300" width="120" height="260" rx="20" fill="#3e6b4a"/>
      <rect x="340" y="330" width="120" height="60" rx="14" fill="#1b1e23"/>
      <rect x="340" y="470" width="120" height="50" rx="14" fill="#1b1e23"/>
      <circle cx="400" cy="300" r="34" fill="url(#metal)"/>
      <ellipse cx="275" cy="230" rx="68" ry="20" fill="#14171b"/><ellipse cx="525" cy="230" rx="68" ry="20" fill="#14171b"/>
      <ellipse cx="275" cy="630" rx="70" ry="22" fill="url(#glass)"/><ellipse cx="525" cy="630" rx="70" ry="22" fill="url(#glass)"/>
      <path d="M240 620 q35 -10 60 8" stroke="#fff" stroke-width="5" fill="none" opacity=".7"/>
      <path d="M490 620 q35 -10 60 8" stroke="#fff" stroke-width="5" fill="none" opacity=".7"/>
    </g>`),

  'SolarSystemColorImager.jpg': svg(`
    ${backdrop('#f1eef8', '#d5cde8', 640, 220)}
    <path d="M520 470 C 640 520, 640 640, 560 660 S 420 700, 380 640" stroke="#222" stroke-width="12" fill="none"/>
    <rect x="300" y="250" width="200" height="240" rx="26" fill="#c62828"/>
    <rect x="300" y="250" width="200" height="50" rx="20" fill="#e53935"/>
    <rect x="330" y="490" width="140" height="70" rx="10" fill="url(#metal)"/>
    <rect x="350" y="555" width="100" height="60" rx="8" fill="#2b2f36"/>
    <ellipse cx="400" cy="612" rx="46" ry="10" fill="url(#glass)"/>
    <text x="400" y="400" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="30" fill="#fff">IMAGER</text>
    <circle cx="340" cy="280" r="8" fill="#7CFC00"/>
    <circle cx="640" cy="200" r="42" fill="#f4b942"/><circle cx="640" cy="200" r="60" fill="none" stroke="#c9a15a" stroke-width="6" transform="rotate(-20 640 200) scale(1 .4) translate(0 300)"/>`),

  'RedFlashlight.jpg': svg(`
    ${backdrop('#1a1d2b', '#2c3148', 640, 260)}
    ${stars(70, 800, 360, 7)}
    <defs><linearGradient id="beam" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#ff2a2a" stop-opacity=".75"/><stop offset="1" stop-color="#ff2a2a" stop-opacity="0"/></linearGradient></defs>
    <g transform="rotate(-14 400 470)">
      <path d="M520 430 L800 330 L800 610 L520 510 Z" fill="url(#beam)"/>
      <rect x="170" y="440" width="260" height="60" rx="14" fill="#2b2f36"/>
      <g stroke="#3d424b" stroke-width="4">${Array.from({ length: 10 }, (_, i) => `<line x1="${200 + i * 20}" y1="446" x2="${200 + i * 20}" y2="494"/>`).join('')}</g>
      <path d="M430 430 L510 410 L510 530 L430 510 Z" fill="#3a3f48"/>
      <rect x="505" y="405" width="22" height="130" rx="6" fill="#b71c1c"/>
      <ellipse cx="528" cy="470" rx="8" ry="60" fill="#ff5252"/>
      <rect x="290" y="428" width="40" height="16" rx="5" fill="#d32f2f"/>
    </g>`),

  'OpticalTubeAssembly.jpg': svg(`
    ${backdrop('#eceff3', '#c8ced7', 640, 320)}
    ${tube({ cx: 400, cy: 420, length: 560, radius: 95, angle: -12, color: '#e9ecef', dark: '#8d949c', id: 't8' })}
    <g transform="rotate(-12 400 420)">
      <rect x="230" y="305" width="60" height="230" rx="10" fill="#1d2129" opacity=".85"/>
      <rect x="470" y="305" width="60" height="230" rx="10" fill="#1d2129" opacity=".85"/>
      <rect x="240" y="290" width="280" height="22" rx="8" fill="url(#metal)"/>
      <rect x="150" y="285" width="40" height="50" rx="6" fill="#2b2f36"/>
    </g>`),

  'SolarFilter.jpg': svg(`
    ${backdrop('#fff7e6', '#f3dcae', 650, 230)}
    <defs><radialGradient id="sun" cx=".45" cy=".4"><stop offset="0" stop-color="#fff2b0"/><stop offset=".55" stop-color="#ffb300"/><stop offset="1" stop-color="#e65100"/></radialGradient></defs>
    <circle cx="400" cy="380" r="250" fill="#20232a"/>
    <circle cx="400" cy="380" r="226" fill="url(#metal)"/>
    <circle cx="400" cy="380" r="200" fill="#0b0b0f"/>
    <circle cx="400" cy="380" r="120" fill="url(#sun)"/>
    <circle cx="370" cy="350" r="10" fill="#b34700" opacity=".6"/><circle cx="440" cy="410" r="6" fill="#b34700" opacity=".6"/>
    <path d="M260 250 q60 -50 130 -60" stroke="#fff" stroke-width="10" fill="none" opacity=".25" stroke-linecap="round"/>
    <g fill="#20232a">${[0, 120, 240].map((a) => `<rect x="388" y="110" width="24" height="40" rx="4" transform="rotate(${a} 400 380)"/>`).join('')}</g>`),

  'TheCometBook.jpg': svg(`
    ${backdrop('#f4f0ea', '#dcd3c5', 690, 230)}
    <g transform="rotate(-6 400 400)">
      <rect x="232" y="148" width="356" height="500" rx="8" fill="#e8e2d6"/>
      <rect x="220" y="140" width="350" height="500" rx="10" fill="#13204a"/>
      <rect x="220" y="140" width="30" height="500" rx="6" fill="#0b1433"/>
      <g>${stars(60, 300, 460, 3).replace(/cx="([\d.]+)" cy="([\d.]+)"/g, (_m, x, y) => `cx="${260 + Number(x)}" cy="${160 + Number(y)}"`)}</g>
      <defs><linearGradient id="tail" x1="1" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9fe8ff"/><stop offset="1" stop-color="#9fe8ff" stop-opacity="0"/></linearGradient></defs>
      <path d="M470 250 L300 470 L330 480 Z" fill="url(#tail)"/>
      <path d="M478 256 L340 500 L360 500 Z" fill="url(#tail)" opacity=".6"/>
      <circle cx="474" cy="252" r="16" fill="#ffffff"/>
      <text x="410" y="560" text-anchor="middle" font-family="DejaVu Serif" font-weight="bold" font-size="44" fill="#f6d365">THE COMET</text>
      <text x="410" y="605" text-anchor="middle" font-family="DejaVu Serif" font-size="30" fill="#f6d365">BOOK</text>
    </g>`),
};

const BANNER_W = 1600;
const BANNER_H = 600;
const banner = svg(
  `
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#050816"/><stop offset=".7" stop-color="#1b2a5a"/><stop offset="1" stop-color="#3b3f7a"/></linearGradient>
    <radialGradient id="glow" cx=".7" cy=".3" r=".5"><stop offset="0" stop-color="#7a5cff" stop-opacity=".45"/><stop offset="1" stop-color="#7a5cff" stop-opacity="0"/></radialGradient>
  </defs>
  <rect width="${BANNER_W}" height="${BANNER_H}" fill="url(#sky)"/>
  <rect width="${BANNER_W}" height="${BANNER_H}" fill="url(#glow)"/>
  ${stars(260, BANNER_W, 420, 42)}
  <path d="M1000 90 q160 40 300 -10" stroke="#cfd8ff" stroke-width="2" fill="none" opacity=".35"/>
  <circle cx="1240" cy="140" r="46" fill="#f3efe0"/><circle cx="1222" cy="128" r="8" fill="#d8d2bf"/><circle cx="1258" cy="156" r="6" fill="#d8d2bf"/>
  <path d="M0 520 L180 430 L330 490 L520 400 L700 480 L880 420 L1060 500 L1260 430 L1440 490 L1600 440 L1600 600 L0 600 Z" fill="#0d1228"/>
  <g transform="translate(1160 350)">
    <g stroke="#05070f" stroke-width="10" stroke-linecap="round"><line x1="0" y1="40" x2="-70" y2="190"/><line x1="0" y1="40" x2="70" y2="190"/><line x1="0" y1="40" x2="10" y2="200"/></g>
    <g transform="rotate(-35)"><rect x="-150" y="-22" width="260" height="44" rx="8" fill="#05070f"/><rect x="100" y="-30" width="24" height="60" rx="5" fill="#05070f"/></g>
  </g>`,
  BANNER_W,
  BANNER_H,
);

// Our own mark: a stylised telescope lens with an orbit, not the OpenTelemetry logo.
const logo = svg(
  `
  <defs><linearGradient id="ring" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f5a800"/><stop offset="1" stop-color="#425cc7"/></linearGradient></defs>
  <circle cx="128" cy="128" r="96" fill="none" stroke="url(#ring)" stroke-width="22"/>
  <circle cx="128" cy="128" r="46" fill="#425cc7"/>
  <circle cx="112" cy="112" r="14" fill="#ffffff" opacity=".8"/>
  <ellipse cx="128" cy="128" rx="124" ry="38" fill="none" stroke="#f5a800" stroke-width="8" transform="rotate(-25 128 128)"/>
  <circle cx="236" cy="86" r="12" fill="#f5a800"/>`,
  256,
  256,
);

mkdirSync(join(out, 'products'), { recursive: true });
const written: string[] = [];
for (const [name, source] of Object.entries(products)) {
  const file = join(out, 'products', name);
  await sharp(Buffer.from(source)).jpeg({ quality: 82, mozjpeg: true }).toFile(file);
  written.push(file);
}
await sharp(Buffer.from(banner))
  .png({ palette: true, colours: 64, dither: 0.5, compressionLevel: 9 })
  .toFile(join(out, 'Banner.png'));
written.push(join(out, 'Banner.png'));
await sharp(Buffer.from(logo)).png({ compressionLevel: 9 }).toFile(join(out, 'opentelemetry-demo-logo.png'));
written.push(join(out, 'opentelemetry-demo-logo.png'));
for (const file of written)
  console.log(`${(statSync(file).size / 1024).toFixed(1).padStart(6)} KiB  ${file}`);
