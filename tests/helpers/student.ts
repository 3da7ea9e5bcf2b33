import type { SandboxReply } from '../../lib/http/sandbox-contracts.ts';
import type { TestLab } from './daemon.ts';

/** A student's browser over HTTP: its sandbox, its login for external clients, and its cookie. */
export interface Student extends SandboxReply {
  /** The `cookie` header value that puts a request in this student's sandbox. */
  cookie: string;
  /** Calls the lab's API as this browser; resolves with the status and parsed JSON body. */
  call<T = unknown>(pathname: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
}

/** Sends one API request as a browser of the lab's own origin, with `cookie` if given. */
export async function callAs<T = unknown>(lab: TestLab, cookie: string | undefined, pathname: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(method === 'GET' ? {} : { 'content-type': 'application/json', origin: lab.baseUrl }) },
    ...(method === 'GET' ? {} : { body: JSON.stringify(init.body ?? {}) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** Opens a new sandbox as a browser would (POST /api/sandboxes) and returns that student. */
export async function openStudent(lab: TestLab): Promise<Student> {
  const { status, body, headers } = await callAs<SandboxReply>(lab, undefined, '/api/sandboxes', { body: {} });
  if (status !== 200) throw new Error(`POST /api/sandboxes answered ${status}: ${JSON.stringify(body)}`);
  const cookie = (headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie.startsWith('lab_sandbox=')) throw new Error(`POST /api/sandboxes set no sandbox cookie: ${headers.get('set-cookie')}`);
  return { ...body, cookie, call: async (pathname, init) => callAs(lab, cookie, pathname, init) };
}
