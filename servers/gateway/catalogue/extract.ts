/**
 * Extracts a version's service catalogue from its TypeScript sources with the compiler API, the way the
 * seed's team read their WAR's bytecode: the route table (`ROUTES`, entries written with `route({...})`)
 * and the SOAP table (`SOAP_SERVICES`, pointing at the WSDL's operations) are read as syntax, classes
 * and types are resolved by the type checker. Nothing is imported or run: a module's top-level code
 * never executes here. A version's result is cached by the hashes of the files it was read from.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { SourceScope } from './calls.ts';
import { UnreadableSource } from './read.ts';
import { readRoutes } from './routes.ts';
import { readSoapServices } from './soap.ts';
import type { Catalogue, ExtractProblem, ExtractResult } from './types.ts';

export type * from './types.ts';
export { diffCatalogues } from './diff.ts';

/** The repository's root: catalogue file paths are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the versions' route tables live: `<dir>/<version>/routes.ts`. */
export const SERVICES_DIR = path.join(REPO_ROOT, 'servers/gateway/services');

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  skipLibCheck: true,
  // The services are plain TypeScript over the standard library: no DOM, no @types packages to load.
  lib: ['lib.es2023.d.ts'],
  types: [],
};

/** Parsed files kept across extractions (the standard library above all), keyed by name and content hash. */
const sourceFiles = new Map<string, { hash: string; file: ts.SourceFile }>();

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function cachingHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  host.getSourceFile = (fileName, languageVersion) => {
    let text: string;
    try {
      text = readFileSync(fileName, 'utf8');
    } catch {
      return undefined; // the program reports the missing file as a diagnostic
    }
    const hash = sha(text);
    const known = sourceFiles.get(fileName);
    if (known && known.hash === hash) return known.file;
    const file = ts.createSourceFile(fileName, text, languageVersion, true);
    sourceFiles.set(fileName, { hash, file });
    return file;
  };
  return host;
}

interface CacheEntry {
  hashes: Map<string, string>;
  result: ExtractResult;
}
const results = new Map<string, CacheEntry>();

function unchanged(entry: CacheEntry): boolean {
  for (const [file, hash] of entry.hashes) {
    try {
      if (sha(readFileSync(file, 'utf8')) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Where the extraction reads from. */
export interface ExtractSource {
  /** The catalogue's version label. */
  version: string;
  /** The route-table module (absolute, or relative to `root`). */
  entry: string;
  /** Catalogue file paths are relative to this; the repository's root by default. */
  root?: string;
}

/** The catalogue of one version's sources, or the reason there is none. Never throws. */
export function extractCatalogue(source: ExtractSource): ExtractResult {
  const started = performance.now();
  const root = path.resolve(source.root ?? REPO_ROOT);
  const entry = path.resolve(root, source.entry);
  const key = `${source.version}\0${entry}\0${root}`;
  const ms = () => Math.round((performance.now() - started) * 10) / 10;
  const cached = results.get(key);
  if (cached && unchanged(cached)) return { ...cached.result, stats: { ...cached.result.stats, ms: ms(), cached: true } };
  const fail = (error: string, problems: ExtractProblem[], files = 0): ExtractResult => ({ ok: false, error, problems, stats: { files, ms: ms(), cached: false } });
  if (!existsSync(entry)) return fail(`No route table at ${path.relative(root, entry) || entry}.`, []);
  try {
    const program = ts.createProgram({ rootNames: [entry], options: COMPILER_OPTIONS, host: cachingHost() });
    const own = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f) && !f.fileName.includes('/node_modules/'));
    const relative = (file: ts.SourceFile) => path.relative(root, file.fileName).split(path.sep).join('/');
    const hashes = new Map(own.map((f) => [f.fileName, sha(f.text)]));
    const result = ((): ExtractResult => {
      const problems = own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => diagnosticProblem(d, root));
      if (problems.length > 0) return fail(`The sources of ${source.version} do not compile; a catalogue read from them could be wrong.`, problems, own.length);
      const entryFile = program.getSourceFile(entry);
      if (!entryFile) return fail(`Could not read ${relative({ fileName: entry } as ts.SourceFile)}.`, [], own.length);
      const scope: SourceScope = { checker: program.getTypeChecker(), isOwn: (f) => hashes.has(f.fileName), relative };
      const services = [...readRoutes(scope, entryFile), ...readSoapServices(scope, entryFile)];
      const seen = new Set<string>();
      const twice = services.filter((s) => (seen.has(s.id) ? true : (seen.add(s.id), false)));
      if (twice.length > 0) {
        return fail(`Service names must be unique in a version: ${twice.map((s) => s.id).join(', ')} appear more than once.`, twice.map((s) => ({ file: s.handler.file, line: s.handler.line, message: `${s.id} is declared twice.` })), own.length);
      }
      // Frozen: a cached catalogue is handed to every caller, so no caller may change another's copy.
      const catalogue: Catalogue = deepFreeze({ version: source.version, services });
      return { ok: true, catalogue, stats: { files: own.length, ms: ms(), cached: false } };
    })();
    results.set(key, { hashes, result });
    return result;
  } catch (err) {
    if (err instanceof UnreadableSource) return fail(`The route table of ${source.version} has a construct the extractor cannot read.`, [err.problem]);
    return fail(`Extraction failed: ${err instanceof Error ? err.message : String(err)}`, []);
  }
}

/** The catalogue of one of the service host's versions (`v1`, `v2`: a folder under servers/gateway/services). */
export function catalogueOf(version: string): ExtractResult {
  if (!/^v\d{1,3}$/.test(version)) {
    return { ok: false, error: `Unknown version ${JSON.stringify(version.slice(0, 20))}: a version is v followed by digits.`, problems: [], stats: { files: 0, ms: 0, cached: false } };
  }
  return extractCatalogue({ version, entry: path.join(SERVICES_DIR, version, 'routes.ts') });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function diagnosticProblem(d: ts.Diagnostic, root: string): ExtractProblem {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return { file: '', line: 0, message };
  const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  return { file: path.relative(root, d.file.fileName).split(path.sep).join('/'), line, message };
}
