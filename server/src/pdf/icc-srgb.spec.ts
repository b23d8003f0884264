import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PCS_D50, srgbColorants, srgbIccProfile } from './icc-srgb.ts';
import { tool } from './pdfa-check.ts';

let dir = '';
let file = '';
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ezal-icc-'));
  file = path.join(dir, 'srgb.icc');
  await fs.writeFile(file, srgbIccProfile());
});
after(() => fs.rm(dir, { recursive: true, force: true }));

test('ExifTool reads the computed profile as an ICC 2.1 sRGB display profile with every tag a matrix/TRC profile needs', async () => {
  const [icc] = JSON.parse((await tool('exiftool', ['-j', '-a', '-G1', file])).stdout) as Record<string, unknown>[];
  assert.equal(icc['File:FileType'], 'ICC');
  assert.equal(icc['ICC-header:ProfileVersion'], '2.1.0');
  assert.equal(icc['ICC-header:ProfileClass'], 'Display Device Profile');
  assert.equal(icc['ICC-header:ColorSpaceData'], 'RGB ');
  assert.equal(icc['ICC-header:ProfileConnectionSpace'], 'XYZ ');
  assert.equal(icc['ICC-header:ProfileFileSignature'], 'acsp');
  assert.equal(icc['ICC-header:ConnectionSpaceIlluminant'], '0.9642 1 0.82491');
  assert.equal(icc['ICC_Profile:ProfileDescription'], 'sRGB IEC61966-2.1');
  assert.match(String(icc['ICC_Profile:ProfileCopyright']), /No copyright/);
  assert.equal(icc['ICC_Profile:MediaWhitePoint'], '0.95045 1 1.08905');
  for (const tag of ['RedMatrixColumn', 'GreenMatrixColumn', 'BlueMatrixColumn', 'RedTRC', 'GreenTRC', 'BlueTRC']) assert.ok(icc[`ICC_Profile:${tag}`], tag);
  const bytes = srgbIccProfile();
  assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), bytes.length, 'the header states the size');
});

test('the colorants add up to the D50 white, as a D50-adapted sRGB matrix must', () => {
  const { red, green, blue } = srgbColorants();
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(red[i] + green[i] + blue[i] - PCS_D50[i]) < 1e-4, `component ${i}`);
  assert.ok(Math.abs(red[0] - 0.4361) < 2e-4 && Math.abs(green[1] - 0.7169) < 2e-4 && Math.abs(blue[2] - 0.7141) < 3e-4, 'the published sRGB colorants');
});

test('Little CMS converts colours through the computed profile as through its own built-in sRGB', async () => {
  const samples: number[][] = [];
  for (const r of [0, 20, 64, 128, 200, 255]) for (const g of [0, 10, 128, 255]) for (const b of [0, 90, 255]) samples.push([r, g, b]);
  const input = `${samples.map((s) => s.join(' ')).join('\n')}\nq\n`;
  const lab = async (profile: string) => {
    const { stdout, stderr, code } = await tool('transicc', ['-n', '-c0', `-i${profile}`, '-o*Lab'], input);
    assert.equal(code, 0, stderr);
    return stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
  };
  const ours = await lab(file);
  const reference = await lab('*sRGB');
  assert.equal(ours.length, samples.length);
  ours.forEach((l, i) => {
    const deltaE = Math.hypot(l[0] - reference[i][0], l[1] - reference[i][1], l[2] - reference[i][2]);
    assert.ok(deltaE < 0.1, `RGB ${samples[i]}: Lab ${l} against ${reference[i]} (ΔE ${deltaE.toFixed(4)})`);
  });
});
