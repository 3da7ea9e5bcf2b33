import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** lib/ is the kernel: wire, protocols, bus, store, sandbox, tls, http contracts. It imports no lab, no server, no UI. */
const LIB = path.dirname(new URL(import.meta.url).pathname);
const SPECIFIER = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('layering', () => {
  it('nothing in lib/ imports from outside lib/', () => {
    const outside = sources(LIB).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)]
        .map((m) => m[1])
        .filter((spec) => spec.startsWith('@/') || spec.startsWith('.'))
        .map((spec) => (spec.startsWith('@/') ? path.join(LIB, '..', spec.slice(2)) : path.resolve(path.dirname(file), spec)))
        .filter((target) => !target.startsWith(LIB + path.sep))
        .map((target) => `${path.relative(LIB, file)} → ${path.relative(path.join(LIB, '..'), target)}`),
    );
    expect(outside).toEqual([]);
  });
});
