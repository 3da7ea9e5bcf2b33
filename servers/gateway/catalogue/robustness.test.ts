import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { extractCatalogue } from './extract.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A throwaway source tree: file name → text. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-catalogue-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const CONTROLLER = `
export interface Ping { echo?: string }
export interface Pong { pong: boolean; echo: string }
export class PingRepository { read(): string { return 'pong'; } }
export class PingService {
  private readonly repo = new PingRepository();
  answer(echo: string): Pong { return { pong: this.repo.read() === 'pong', echo }; }
}
export class PingController {
  private readonly pings = new PingService();
  async ping(input: Ping): Promise<Pong> { return this.pings.answer(input.echo ?? ''); }
}
`;

function routes(entries: string, extraImport = ''): string {
  return `import { PingController } from './controller.ts';\n${extraImport}\nexport const ROUTES = [\n${entries}\n];\n`;
}

const PING = `{ name: 'ping', method: 'GET', path: '/ping', controller: PingController, action: 'ping', errors: [] }`;

function extract(root: string) {
  return () => extractCatalogue({ version: 'fixture', entry: 'routes.ts', root });
}

describe('extraction robustness', () => {
  it('reads a minimal plain-object route table, down to the repository', () => {
    const result = extract(tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(PING) }))();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [ping] = result.catalogue.services;
    expect(ping).toMatchObject({ id: 'ping', method: 'GET', uriTemplate: '/ping', handler: { class: 'PingController', method: 'ping', file: 'controller.ts' } });
    expect(ping.calls[0]).toMatchObject({ class: 'PingService', method: 'answer', layer: 'service', calls: [{ class: 'PingRepository', method: 'read', layer: 'repository' }] });
  });

  it('answers a syntax error with an error value naming the file and line', () => {
    const root = tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(`${PING},\n  { name: 'broken', method: 'GET' path: '/x' }`) });
    const result = extract(root)();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/do not compile/);
    expect(result.problems[0]).toMatchObject({ file: 'routes.ts', line: 5, message: expect.stringContaining("','") });
  });

  it('answers a route table built with a spread with an error value naming the construct', () => {
    const root = tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(`${PING},\n  ...MORE`, 'const MORE: object[] = [];') });
    const result = extract(root)();
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('cannot read'), problems: [{ file: 'routes.ts', line: 5, message: expect.stringContaining('route({ ... })') }] });
  });

  it('answers a computed path, an unknown action and a missing table with error values', () => {
    const computed = extract(tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(PING.replace(`'/ping'`, `'/p' + 'ing'`)) }))();
    expect(computed).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('"path" must be a string literal') }] });
    const unknown = extract(tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(PING.replace(`'ping', errors`, `'pang', errors`)) }))();
    expect(unknown).toMatchObject({ ok: false, problems: [{ message: 'PingController has no method pang.' }] });
    const none = extract(tree({ 'controller.ts': CONTROLLER, 'routes.ts': 'export const NOTHING = 1;\n' }))();
    expect(none).toMatchObject({ ok: false, problems: [{ message: 'The module exports no ROUTES table.' }] });
    const missing = extractCatalogue({ version: 'x', entry: 'nowhere.ts', root: os.tmpdir() });
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining('No route table') });
  });

  it('answers an import of a module that does not exist with an error value', () => {
    const result = extract(tree({ 'routes.ts': routes(PING).replace('./controller.ts', './missing.ts') }))();
    expect(result).toMatchObject({ ok: false, problems: [expect.objectContaining({ file: 'routes.ts', message: expect.stringContaining('missing.ts') })] });
  });

  it('sees a change to a source file on the next extraction (the cache is keyed by content)', () => {
    const root = tree({ 'controller.ts': CONTROLLER, 'routes.ts': routes(PING) });
    const first = extract(root)();
    expect(extract(root)().stats.cached).toBe(true);
    fs.writeFileSync(path.join(root, 'routes.ts'), routes(PING.replace(`'/ping'`, `'/ping/{n}'`)));
    const second = extract(root)();
    expect(first.ok && second.ok).toBe(true);
    expect(second.stats.cached).toBe(false);
    if (second.ok) expect(second.catalogue.services[0].uriTemplate).toBe('/ping/{n}');
  });

  it('never runs the code it reads: a top-level side effect in a service module does not happen', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gw-marker-')), 'ran.txt');
    dirs.push(path.dirname(marker));
    const root = tree({
      // The fixture declares the one Node API it uses, so it compiles without @types/node.
      'env.d.ts': `declare module 'node:fs' { export function writeFileSync(file: string, data: string): void; }\n`,
      'side-effect.ts': `/// <reference path="./env.d.ts" />\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const LOADED = true;\n`,
      'controller.ts': `import { LOADED } from './side-effect.ts';\n${CONTROLLER.replace("return this.pings.answer(input.echo ?? '')", "return this.pings.answer(LOADED ? (input.echo ?? '') : '')")}`,
      'routes.ts': routes(PING, "import './side-effect.ts';"),
    });
    const result = extract(root)();
    expect(result.ok).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
    // The control: importing the same module does write the marker, so its absence above means it never ran.
    await import(pathToFileURL(path.join(root, 'side-effect.ts')).href);
    expect(fs.existsSync(marker)).toBe(true);
  });
});
