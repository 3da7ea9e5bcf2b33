/**
 * The SOAP and WS-Policy lessons' shell lines (a step's `shell`: Copy only), run as a student runs them:
 * in bash, with the real tool, as the lesson route fills them for this lab's (moved) ports — after the
 * Own client tab's recipes that write the files they post (getMonth11.xml, getMonth12.xml), in that
 * order. Each must exit 0 and prove its step, read by the same evaluation as the page.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soapRecipes } from '../../components/soap/recipes.ts';
import { lessonContracts, type LessonState } from '../../lib/http/lesson-contracts.ts';
import { policyLab } from '../../servers/policy/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool, type Tool } from '../helpers/tools.ts';

let lab: TestLab;
let work: string;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, soapLab, policyLab] });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-shell-'));
});
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Pasted into bash in the work dir, stopping at the first failing command. */
function bash(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('/bin/bash', ['-e', '-o', 'pipefail', '-c', code], { cwd: work, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** The Own client tab's recipe `name` for this lab, as the SOAP page fills it. */
function ownClientRecipe(name: string): string {
  const endpoint = `http://127.0.0.1:${lab.port('soap')}/soap/calendar`;
  const found = soapRecipes({ endpoint, wsdl: `${endpoint}?wsdl`, smtpPort: lab.port('smtp'), web: lab.baseUrl, ns: 'http://lab.test/soap/calendar' }).find((r) => r.name === name);
  if (!found) throw new Error(`no Own client recipe "${name}"`);
  return found.code;
}

/** Re-reads the lesson until `step` is done (the mail answer comes later); fails naming the step. */
async function untilDone(id: string, step: string): Promise<LessonState> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await lab.api(lessonContracts.get, { params: { id } });
    if (state.status.find((s) => s.step === step)?.done) return state;
    if (Date.now() > deadline) throw new Error(`${id}/${step} not done: ${JSON.stringify(state.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const STEPS: [lesson: string, step: string, tools: Tool[]][] = [
  ['soap-envelopes', 'soap11', ['curl']],
  ['soap-wsdl', 'fetch', ['curl']],
  ['soap-over-smtp', 'request-mail', ['swaks']],
  ['policy-attachment', 'scopes', ['curl']],
];

describe('SOAP and WS-Policy lessons: every shell line runs as written on a lab with moved ports', () => {
  it('names every lesson step with shell lines of these labs', async () => {
    const withShell: string[] = [];
    for (const id of ['soap-envelopes', 'soap-faults', 'soap-wsdl', 'soap-over-smtp', 'policy-attachment', 'policy-intersection']) {
      const { lesson } = await lab.api(lessonContracts.get, { params: { id } });
      for (const step of lesson.steps) if (step.shell?.length) withShell.push(`${id}/${step.id}`);
    }
    expect(withShell.sort()).toEqual(STEPS.map(([l, s]) => `${l}/${s}`).sort());
  });

  it('the Own client recipes write the files the lessons post', async () => {
    tool('curl');
    for (const name of ['curl · SOAP 1.1', 'curl · SOAP 1.2']) {
      const result = await bash(ownClientRecipe(name));
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('January 2003');
    }
  });

  it.each(STEPS)('%s / %s: its shell lines succeed and prove the step', async (id, stepId, tools) => {
    for (const name of tools) tool(name);
    await lab.api(lessonContracts.start, { params: { id } });
    const { lesson } = await lab.api(lessonContracts.get, { params: { id } });
    const step = lesson.steps.find((s) => s.id === stepId);
    expect(step?.shell?.length).toBeGreaterThan(0);
    for (const line of step?.shell ?? []) {
      // Filled for this lab: no token left, and the ports are the ones it listens on.
      expect(line).not.toMatch(/\{\{/);
      const result = await bash(line);
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
      expect(result.stdout + result.stderr).not.toMatch(/soap:Client|Connection refused|deprecated/i);
    }
    await untilDone(id, stepId);
  });
});
