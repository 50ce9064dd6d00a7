#!/usr/bin/env node
// The `ganbox` command. In a source checkout (tsx installed) it runs the TypeScript directly;
// in a published package it runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
let useSource = existsSync(fileURLToPath(source));
if (useSource) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    useSource = false;
  }
}
const { main } = await import(useSource ? source.href : compiled.href);
process.exitCode = await main(process.argv.slice(2));
