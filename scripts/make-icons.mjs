#!/usr/bin/env node
/**
 * `node scripts/make-icons.mjs`: draws the installable app's PNG icons from
 * public/favicon.svg with the same Chromium the end-to-end tests use, into public/:
 *
 * - pwa-192x192.png, pwa-512x512.png: the round logo on a transparent background;
 * - maskable-512x512.png: the logo's star on a full-bleed square, kept inside the central
 *   80 % circle that Android may cut the icon to;
 * - apple-touch-icon.png (180 × 180): iOS adds its own rounded corners, so a full square.
 *
 * The PNGs are committed; run this again only when the logo changes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { findChromium } from './find-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pub = join(root, 'public');
const logo = readFileSync(join(pub, 'favicon.svg'), 'utf8');
const star = /<path[^>]*\/>/.exec(logo)?.[0];
if (!star) throw new Error('public/favicon.svg has no <path> (the star) to draw');

/** The star, scaled by `k` about the centre of the 64 × 64 logo, on a square of `bg`. */
const square = (k, bg) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${bg}"/>` +
  `<g transform="translate(32 32) scale(${k}) translate(-32 -32)">${star}</g></svg>`;

const icons = [
  { file: 'pwa-192x192.png', size: 192, svg: logo },
  { file: 'pwa-512x512.png', size: 512, svg: logo },
  // the star spans about 40 of 64 units; at 0.9 it stays well inside the 80 % safe circle
  { file: 'maskable-512x512.png', size: 512, svg: square(0.9, '#0072B2') },
  { file: 'apple-touch-icon.png', size: 180, svg: square(1, '#0072B2') },
];

const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { file, size, svg } of icons) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">` +
        `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" ` +
        `width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: join(pub, file), omitBackground: true });
    console.log(`public/${file} (${size} × ${size})`);
  }
} finally {
  await browser.close();
}
