import { defineConfig } from 'vite';

// One self-contained script for customer sites: <script src="https://touchpoint.example/widget.js"></script>.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    lib: { entry: 'src/main.tsx', name: 'TouchpointWidget', formats: ['iife'], fileName: () => 'widget.js' },
  },
});
