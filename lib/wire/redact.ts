/**
 * Credentials stay with the sandbox whose connection carried them. A class follows its teacher's
 * sessions and the projector shows a student's to the room: a plain-FTP PASS or an HTTP Basic
 * header shown there would hand out a login that opens the owner's sandbox from any client on the
 * LAN. Dissectors mark where a message's text holds a credential (LabMessage.secret); whatever
 * sends a message to anyone but its own sandbox passes it through forOthers once, at that boundary.
 */
import type { LabEvent } from '../bus/events.ts';
import type { Annotation, Field, LabMessage, SecretSpan } from './event.ts';

/** What replaces a credential for everyone but its own sandbox. */
export const HIDDEN_SECRET = '••••••  (hidden from followers)';

/** Where `secret` sits in `text` (its last occurrence: a command's argument ends its line), or undefined when empty or absent. */
export function secretSpan(text: string, secret: string): SecretSpan | undefined {
  if (secret.length === 0) return undefined;
  const start = text.lastIndexOf(secret);
  return start < 0 ? undefined : { start, end: start + secret.length };
}

/**
 * The message as others may see it: its credential replaced by HIDDEN_SECRET in the text, and
 * wherever else the same characters appear (a field's value, the annotation, an edit's original).
 * A message without a credential is returned as it is.
 */
export function forOthers(message: LabMessage): LabMessage {
  const span = message.secret;
  if (!span) return message;
  const secret = message.text.slice(span.start, span.end);
  const hide = (s: string) => (secret.length > 0 ? s.split(secret).join(HIDDEN_SECRET) : s);
  const { secret: _secret, ...rest } = message;
  const out: LabMessage = { ...rest, text: message.text.slice(0, span.start) + HIDDEN_SECRET + message.text.slice(span.end) };
  if (message.fields) out.fields = message.fields.map((field) => hideField(field, hide));
  if (message.annotation) out.annotation = hideAnnotation(message.annotation, hide);
  if (message.edited) out.edited = { original: hide(message.edited.original) };
  return out;
}

function hideField(field: Field, hide: (s: string) => string): Field {
  const value = hide(field.value);
  if (value === field.value) return field;
  // Its start/end pointed into the credential's bytes: no longer meaningful once hidden.
  const { start: _start, end: _end, ...rest } = field;
  return { ...rest, value };
}

function hideAnnotation(annotation: Annotation, hide: (s: string) => string): Annotation {
  return { ...annotation, title: hide(annotation.title), explain: hide(annotation.explain) };
}

/** An event as a page of another sandbox may receive it: a message event's credential hidden (forOthers). */
export function eventForOthers(event: LabEvent): LabEvent {
  if (event.type !== 'message' || !event.message.secret) return event;
  return { ...event, message: forOthers(event.message) };
}
