#!/usr/bin/env node
// The server runs from TypeScript source (workspace packages are consumed from source, never from a stale
// dist/), so the bin registers tsx's loader and hands over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
