/** README's "Ports and settings" table lists every variable of every registered lab, with its default. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../servers/index.ts';

const README = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `| \`NAME\` | default | what |` rows → name → default as written. */
function tableRows(text: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*([^|]*?)\s*\|/gm)) rows.set(match[1], match[2].replace(/`/g, ''));
  return rows;
}

describe('README port table', () => {
  const rows = tableRows(README);
  for (const lab of LABS) {
    for (const variable of [...lab.about.ports, ...lab.about.settings]) {
      it(`lists ${variable.env} (${lab.about.title}) with its default ${variable.default}`, () => {
        expect(rows.get(variable.env)).toBe(String(variable.default));
      });
    }
  }
});
