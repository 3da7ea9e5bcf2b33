/**
 * A page that unloads while showing a lesson leaves it after a grace; the daemon tells the sandbox's other
 * pages (`lesson.leaving`) so one still showing the lesson in another window can say so. Only that
 * sandbox's pages are told: which lesson a student just left is nobody else's business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** The lesson.leaving events among a page's messages. */
const leavingIn = (messages: ServerMessage[]) =>
  messages.flatMap((m) => (m.type === 'events' ? m.events.filter((e): e is Extract<LabEvent, { type: 'lesson.leaving' }> => e.type === 'lesson.leaving') : []));
const isLeaving = (lesson: string) => (m: ServerMessage) => leavingIn([m]).some((e) => e.lesson === lesson);

describe('a lesson left by an unloading page', () => {
  it("is announced to its sandbox's pages only, and not by a plain leave", async () => {
    const [alice, bob]: Student[] = [await openStudent(lab), await openStudent(lab)];
    const [alicePage, bobPage, ownerPage] = [await TestBrowser.open(lab, { cookie: alice.cookie }), await TestBrowser.open(lab, { cookie: bob.cookie }), await TestBrowser.open(lab)];
    for (const page of [alicePage, bobPage, ownerPage]) await page.next((m) => m.type === 'hello');

    // A plain leave (the panel closed) disarms at once: nothing to announce.
    expect((await alice.call('/api/lessons/smtp-first-mail/leave', { method: 'POST' })).status).toBe(200);
    expect((await alice.call('/api/lessons/smtp-relays/leave?unload=1', { method: 'POST' })).status).toBe(200);
    await alicePage.next(isLeaving('smtp-relays'), { what: "alice's page told of the lesson she left" });
    expect(leavingIn(alicePage.messages)).toEqual([{ type: 'lesson.leaving', sandbox: alice.sandbox, lesson: 'smtp-relays' }]);

    // Bob's own unload, after Alice's: his page and the owner's get theirs in bus order, never hers.
    expect((await bob.call('/api/lessons/smtp-first-mail/leave?unload=1', { method: 'POST' })).status).toBe(200);
    await bobPage.next(isLeaving('smtp-first-mail'), { what: "bob's page told of the lesson he left" });
    expect(leavingIn(bobPage.messages).map((e) => e.lesson)).toEqual(['smtp-first-mail']);
    const ownerLeave = await fetch(`${lab.baseUrl}/api/lessons/smtp-reading-replies/leave?unload=1`, { method: 'POST', headers: { 'content-type': 'application/json', origin: lab.baseUrl }, body: '{}' });
    expect(ownerLeave.status).toBe(200);
    await ownerPage.next(isLeaving('smtp-reading-replies'), { what: "the owner's page told of the lesson it left" });
    expect(leavingIn(ownerPage.messages).map((e) => e.lesson)).toEqual(['smtp-reading-replies']);
    for (const page of [alicePage, bobPage, ownerPage]) page.close();
  });
});
