/**
 * Headless Chromium for the timeline tests (unit: a fake-cluster run; integration: a real one): Debian's `chromium` package, installed with apt-get
 * (after `apt-get update`) when missing, with a progress line; then screenshots and DOM dumps.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(cmd: string, args: string[], log: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      // One progress line per package unpacked/set up, so a long install is never silent.
      for (const line of d.toString().split('\n')) if (/^(Get:|Unpacking|Setting up)/.test(line)) log(`  ${line.slice(0, 120)}`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${tail}`))));
  });
}

/** The chromium binary; installs Debian's `chromium` when it is missing. */
export async function ensureChromium(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<string> {
  const found = which('chromium') ?? which('chromium-browser');
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('the timeline browser test needs chromium: apt-get install -y chromium (as root)');
  log('[timeline test] chromium is missing: apt-get update, then apt-get install -y chromium (one time, a few minutes)');
  await run('apt-get', ['update'], log);
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], log);
  const installed = which('chromium');
  if (!installed) throw new Error('apt-get installed chromium but no chromium binary is on PATH');
  log(`[timeline test] chromium installed: ${installed}`);
  return installed;
}

function chromiumArgs(profile: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', `--user-data-dir=${profile}`, '--no-first-run'];
}

async function runChromium(bin: string, args: string[]): Promise<string> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(bin, [...chromiumArgs(profile), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`))));
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM after the page loaded, serialized by the browser. */
export function dumpDom(bin: string, file: string): Promise<string> {
  return runChromium(bin, ['--dump-dom', `file://${file}`]);
}

/** A PNG screenshot of the page. */
export async function screenshot(bin: string, file: string, png: string, size = '1400,900'): Promise<Buffer> {
  await runChromium(bin, [`--screenshot=${png}`, `--window-size=${size}`, `file://${file}`]);
  return fs.readFileSync(png);
}

/** Decodes an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) into pixels. */
export function decodePng(buf: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const color = data[9];
      if (depth !== 8 || (color !== 2 && color !== 6) || data[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, color type ${color}, interlace ${data[12]})`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Distinct colours and the share of pixels that are not the background (the top-left pixel). */
export function pixelStats(png: Buffer): { width: number; height: number; colours: number; nonBackground: number; hasRed: boolean } {
  const { width, height, channels, pixels } = decodePng(png);
  const bg = pixels.readUIntBE(0, 3);
  const colours = new Set<number>();
  let other = 0;
  let hasRed = false;
  for (let i = 0; i < width * height; i++) {
    const r = pixels[i * channels];
    const g = pixels[i * channels + 1];
    const b = pixels[i * channels + 2];
    const rgb = (r << 16) | (g << 8) | b;
    colours.add(rgb);
    if (rgb !== bg) other++;
    if (r > 200 && g < 80 && b < 70) hasRed = true;
  }
  return { width, height, colours: colours.size, nonBackground: other / (width * height), hasRed };
}
