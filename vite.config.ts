/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Where the built site lives. The default, './', makes every URL in the build relative to
 * the page, so the same `dist/` works at https://host/, at https://host/~teacher/elections/
 * or from any other folder. BASE=/course/elections/ pins an absolute path instead (only
 * needed when something must know the final address at build time).
 */
const base = process.env.BASE || './';

export default defineConfig({
  base,
  plugins: [
    react(),
    VitePWA({
      // A new version waits until the user says "Reload" (app/pwa/UpdatePrompt.tsx), so a
      // lesson in progress is never swapped out under the class.
      registerType: 'prompt',
      // app/pwa/register.ts registers the worker itself (after the page has loaded).
      injectRegister: false,
      // Everything in dist/ is precached; nothing is fetched from elsewhere, neither at
      // build time nor at run time.
      strategies: 'generateSW',
      manifest: {
        name: 'Election Playground',
        short_name: 'Elections',
        description:
          'Raft, Bully, Ring and lease leader elections in a deterministic network simulation.',
        lang: 'en',
        display: 'standalone',
        // relative to the manifest, which sits next to index.html
        start_url: './',
        scope: './',
        id: './',
        theme_color: '#0072b2',
        background_color: '#f3f5f8',
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'maskable-512x512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // the manifest and its icons are added by the plugin; the rest of dist/ is here
        globPatterns: ['**/*.{js,css,html}', 'apple-touch-icon.png'],
        // the page is the same for every query (?paused, ?embed...): answer navigations
        // from the precached index.html, offline too
        navigateFallback: 'index.html',
        // a page opened once takes control at once, so it works offline from then on
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // the simulation worker bundles the engine; keep the limit well above it
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        // no Workbox runtime from a CDN: it is bundled into sw.js from node_modules
        inlineWorkboxRuntime: true,
        sourcemap: false,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
  test: {
    include: ['algorithms/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60000,
    // the tests share no mutable module state (the engine and the machines are pure), so
    // each worker imports the algorithms once instead of once per file: a third of the
    // suite's time went to importing the same modules 65 times
    isolate: false,
    // every core: the default leaves one for the runner, which on a 2-core machine runs the
    // files one at a time (70 s instead of 46 s here); the runner itself is idle meanwhile
    maxWorkers: '100%',
  },
});
