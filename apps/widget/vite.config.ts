import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';

// Two self-contained IIFE scripts, built one after the other (`vite build && vite build --mode frame`):
// - widget.js, the loader customer sites embed with <script src="https://touchpoint.example/widget.js" data-channel="…">,
//   plain DOM so it stays tiny on every page view of the customer's site;
// - frame.js, the chat app (Preact) inside the iframe the loader adds, isolated from the host page.
// Each gets .br and .gz copies (precompress), for the server to send compressed.
export default defineConfig(({ mode }) => {
  const frame = mode === 'frame';
  return {
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [precompress()],
    build: {
      outDir: 'dist',
      emptyOutDir: !frame,
      target: 'es2019',
      lib: frame
        ? { entry: 'src/frame/main.tsx', name: 'TouchpointFrame', formats: ['iife'], fileName: () => 'frame.js' }
        : { entry: 'src/loader.ts', name: 'TouchpointWidget', formats: ['iife'], fileName: () => 'widget.js' },
    },
  };
});
