import type { LabMessage } from '@/lib/wire/event.ts';

/**
 * Which of a connection's messages a terminal still has to write, given the id of the last one it wrote.
 * Tracking the id rather than a count keeps a live terminal writing after the feed starts dropping its
 * oldest messages at its cap (the count stays put then). If that message is gone altogether
 * (another connection, a reload), everything is written again from the top.
 */
export function unwritten(messages: readonly LabMessage[], lastWrittenId: string | null): { rewrite: boolean; messages: readonly LabMessage[] } {
  if (lastWrittenId === null) return { rewrite: false, messages };
  // New messages are appended, so the last written one is near the end.
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].id === lastWrittenId) return { rewrite: false, messages: messages.slice(i + 1) };
  }
  return { rewrite: true, messages };
}
