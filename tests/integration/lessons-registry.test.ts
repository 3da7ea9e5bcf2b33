/**
 * The lesson registry (servers/lessons.ts) against the code it teaches: every lesson file is listed,
 * ids are unique and URL-safe, every annotation key a proof waits for is one the dissectors or the labs
 * produce (so a typo fails here, not in a student's browser), every regular expression compiles, every
 * fault is in the catalogue, and every step cites a section of a document kept in docs/reference
 * (lib/protocols/citations.test.ts checks that the cited sections exist: it scans servers/**, lessons included).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULT_RULES } from '../../lib/faults/catalogue.ts';
import { compiles } from '../../lib/lessons/evaluate.ts';
import { READER_TOKENS, tokensIn } from '../../lib/lessons/reader.ts';
import type { Lesson, MessageMatch } from '../../lib/lessons/types.ts';
import { extractCitations } from '../../lib/protocols/citations.ts';
import { LABS } from '../../servers/index.ts';
import { LESSONS } from '../../servers/lessons.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const URL_SAFE = /^[a-z0-9][a-z0-9-]{0,63}$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'lessons' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * Every annotation key the code can produce, read from the sources as quoted literals ('smtp.reply.354',
 * "ssh.msg.NEWKEYS"): the dissectors' tables and prose books in lib/protocols, the labs' notes in
 * servers/ (lesson files excluded, so a lesson cannot vouch for its own key), plus `fault.<rule>` for
 * every scripted fault (lib/faults/injected.ts marks injected messages so).
 */
const code = [...sources(join(ROOT, 'lib')), ...sources(join(ROOT, 'servers'))].filter((file) => !file.endsWith('servers/lessons.ts')).map((file) => readFileSync(file, 'utf8'));
const KNOWN_KEYS = new Set<string>([
  ...code.flatMap((text) => [...text.matchAll(/['"`]([a-z][a-z0-9-]*(?:\.[A-Za-z0-9_+-]+)+)['"`]/g)].map((m) => m[1])),
  ...FAULT_RULES.map((rule) => `fault.${rule.id}`),
]);

/**
 * Keys a lab builds from a template rather than a table row, with the values its code gives the
 * template. Each template must still be in the code (checked below), so the list cannot outlive it.
 */
const TEMPLATED: Record<string, { template: string; values: string[] }> = {
  // servers/ssh/lab/console.ts: the browser terminal's host-key decision, noted on the connection.
  'ssh.hostkey.': { template: '`ssh.hostkey.${verdict}`', values: ['known', 'accepted', 'refused', 'changed'] },
};
for (const [prefix, { values }] of Object.entries(TEMPLATED)) for (const value of values) KNOWN_KEYS.add(prefix + value);

/** A key as a lesson writes it is known when it is a known key, or (ending in '*') the prefix of one. */
const keyKnown = (key: string): boolean => (key.endsWith('*') ? [...KNOWN_KEYS].some((k) => k.startsWith(key.slice(0, -1))) : KNOWN_KEYS.has(key));

/** Every match a lesson holds, named by where it is. */
function matchesOf(lesson: Lesson): [string, MessageMatch][] {
  return lesson.steps.flatMap((step) => [
    ...step.proof.all.map((m, i): [string, MessageMatch] => [`${lesson.id}/${step.id} proof[${i}]`, m]),
    ...(step.whatIf?.proof.all ?? []).map((m, i): [string, MessageMatch] => [`${lesson.id}/${step.id} whatIf[${i}]`, m]),
    ...(step.question ? [[`${lesson.id}/${step.id} question`, step.question.answer.from] as [string, MessageMatch]] : []),
  ]);
}

/** Every regular expression's source a lesson holds (text, held question, field values between slashes). */
function patternsOf(lesson: Lesson): [string, string][] {
  const fromMatch = ([where, m]: [string, MessageMatch]): [string, string][] => [
    ...(m.text !== undefined ? [[where, m.text] as [string, string]] : []),
    ...(m.field?.value && /^\/.+\/$/.test(m.field.value) ? [[where, m.field.value.slice(1, -1)] as [string, string]] : []),
  ];
  return [
    ...matchesOf(lesson).flatMap(fromMatch),
    ...lesson.steps.flatMap((s) => (s.question ? [[`${lesson.id}/${s.id} question.when`, s.question.when.text] as [string, string]] : [])),
  ];
}

const lessonFiles = readdirSync(join(ROOT, 'servers'))
  .filter((lab) => existsSync(join(ROOT, 'servers', lab, 'lessons')))
  .flatMap((lab) => readdirSync(join(ROOT, 'servers', lab, 'lessons')).filter((f) => f.endsWith('.ts')).map((f) => ({ lab, id: f.replace(/\.ts$/, '') })));

describe('the lesson registry', () => {
  it('lists lessons, each once, with a URL-safe id that names its file servers/<lab>/lessons/<id>.ts', () => {
    expect(LESSONS.length).toBeGreaterThan(0);
    const ids = LESSONS.map((l) => l.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const lesson of LESSONS) {
      expect(lesson.id).toMatch(URL_SAFE);
      expect(lessonFiles, `servers/${lesson.lab}/lessons/${lesson.id}.ts`).toContainEqual({ lab: lesson.lab, id: lesson.id });
    }
    // And no lesson file is left out of the list.
    expect(lessonFiles.filter((f) => !ids.includes(f.id)).map((f) => `servers/${f.lab}/lessons/${f.id}.ts`)).toEqual([]);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: steps with unique URL-safe ids, a place in its lab, hints and a proof', (_id, lesson) => {
    const stepIds = lesson.steps.map((s) => s.id);
    expect(stepIds.filter((id, i) => stepIds.indexOf(id) !== i)).toEqual([]);
    for (const id of stepIds) expect(id).toMatch(URL_SAFE);
    expect(lesson.steps.length).toBeGreaterThan(0);
    expect(lesson.minutes).toBeGreaterThan(0);
    const sameOrder = LESSONS.filter((other) => other.lab === lesson.lab && other.order === lesson.order);
    expect(sameOrder.map((l) => l.id), 'one lesson per place in its lab').toEqual([lesson.id]);
    for (const step of lesson.steps) {
      expect(step.proof.all.length, `${step.id} proof`).toBeGreaterThan(0);
      expect(step.hints.length, `${step.id} hints`).toBeGreaterThan(0);
      expect(step.do.trim(), `${step.id} do`).not.toBe('');
      if (step.whatIf) expect(step.whatIf.proof.all.length, `${step.id} whatIf proof`).toBeGreaterThan(0);
    }
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every key it waits for is one the dissectors or the labs produce', (_id, lesson) => {
    const unknown = matchesOf(lesson)
      .filter(([, m]) => m.key !== undefined && !keyKnown(m.key))
      .map(([where, m]) => `${where}: ${m.key}`);
    expect(unknown).toEqual([]);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every regular expression compiles', (_id, lesson) => {
    expect(patternsOf(lesson).filter(([, source]) => !compiles(source))).toEqual([]);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every fault it switches on or waits for is in the catalogue', (_id, lesson) => {
    const rules = new Set(FAULT_RULES.map((r) => r.id));
    const used = [
      ...lesson.steps.flatMap((s) => (s.whatIf ? [`${s.id}: ${s.whatIf.fault}`] : [])),
      ...matchesOf(lesson).flatMap(([where, m]) => (m.injectedBy ? [`${where}: ${m.injectedBy}`] : [])),
    ];
    expect(used.filter((u) => !rules.has(u.split(': ')[1]))).toEqual([]);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: names the reader and the lab ports only with tokens the daemon fills', (_id, lesson) => {
    // lib/lessons/reader.ts fills them per student; a port token names a lab with a public port, or one of its ports by role.
    const portNames = new Set<string>(
      LABS.filter((lab) => lab.about.ports.length > 0).flatMap((lab) => [lab.about.id, ...lab.about.ports.flatMap((p) => (p.roles ?? []).map((role) => `${lab.about.id}-${role}`))]),
    );
    const known = (token: string) => {
      const [name, arg] = token.split(' ');
      return name === 'port' ? portNames.has(arg) : READER_TOKENS.includes(name) && arg === undefined;
    };
    const texts = [lesson.goal, ...lesson.steps.flatMap((s) => [s.do, ...(s.try ?? []), ...(s.shell ?? []), ...s.hints, ...(s.whatIf ? [s.whatIf.explain] : [])])];
    expect(texts.flatMap(tokensIn).filter((token) => !known(token))).toEqual([]);
    // What the tokens replaced: the lab's own login and default ports written out, or placeholders Send would send as they are.
    const written = /PASSWORD|<(the lab password|port|ssh port|smtp port|base64[^>]*|the same base64 string)>|\b(USER student|-u student|student@127\.0\.0\.1)\b/;
    expect(texts.filter((text) => written.test(text))).toEqual([]);
    // Nor any lab's default port as an address ("port 5556", ":5558", "World from 5555"): ZMQ_BASE_PORT and the others move them.
    const defaults = LABS.flatMap((lab) => lab.about.ports.flatMap((p) => (p.roles ?? ['']).map((_role, i) => p.default + i)));
    const defaultPort = new RegExp(`(\\bport |:|\\bfrom )(${defaults.join('|')})\\b`);
    expect(texts.filter((text) => defaultPort.test(text))).toEqual([]);
    // OpenSSH (and the lab's terminal) dial port 22 unless told: every ssh/sftp/scp line at a lab login names the lab's port.
    const dials = lesson.steps.flatMap((s) => [...(s.try ?? []), ...(s.shell ?? [])]).filter((line) => /^(ssh|sftp|scp) .*\{\{user\}\}@/.test(line));
    expect(dials.filter((line) => !line.includes('{{port ssh}}'))).toEqual([]);
    // Send types a try line into the page's console: a command for the student's own shell (or one that
    // dials {{host}}, an address the lab's SSH terminal does not know) belongs in `shell`, which is only copied.
    const tools = 'curl|nc|lftp|sftp|scp|swaks|python3?';
    const shellCommand = new RegExp(`^(${tools}|ssh-keyscan|ssh-keygen -t) |\\{\\{host\\}\\}|^ssh .*-[NL] `);
    expect(lesson.steps.flatMap((s) => s.try ?? []).filter((line) => shellCommand.test(line))).toEqual([]);
    // Nor is one written into a step's prose, where it has no Copy button and runs out of a narrow panel.
    expect(lesson.steps.flatMap((s) => s.do.split(/\n\s*\n/)).filter((paragraph) => new RegExp(`^(${tools}|ssh) `).test(paragraph))).toEqual([]);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every step cites a section of a document kept in docs/reference', (_id, lesson) => {
    for (const step of lesson.steps) {
      const cited = extractCitations(step.ref);
      expect(cited.length, `${step.id}: "${step.ref}" cites no section`).toBeGreaterThan(0);
      for (const c of cited) {
        const stored = ['txt', 'html', 'md'].some((ext) => existsSync(join(ROOT, 'docs/reference', `${c.doc}.${ext}`)));
        expect(stored, `${step.id} cites ${c.doc}, which docs/reference does not have`).toBe(true);
      }
    }
  });
});

describe('the key check itself', () => {
  it('knows real keys and refuses a typo', () => {
    expect(keyKnown('smtp.reply.354')).toBe(true);
    expect(keyKnown('ssh.msg.NEWKEYS')).toBe(true);
    expect(keyKnown('smtp.reply.5*')).toBe(true);
    expect(keyKnown('smtp.reply.345')).toBe(false);
    expect(keyKnown('ssh.msg.NEWKEY')).toBe(false);
    expect(keyKnown('smtp.rply.*')).toBe(false);
  });

  it('lists templated keys whose template is still in the code', () => {
    for (const { template } of Object.values(TEMPLATED)) expect(code.some((text) => text.includes(template)), template).toBe(true);
  });

  it('reads the sources it claims to (lib and servers, no tests, no lessons)', () => {
    expect(code.length).toBeGreaterThan(100);
    expect(code.filter((text) => /:\s*Lesson\s*=\s*\{/.test(text)).map((text) => text.slice(0, 80))).toEqual([]);
  });
});
