import type { LabMessage } from '@/lib/wire/event.ts';

/** The last message a terminal wrote, and where it stood in the list then. */
export interface LastWritten {
  id: string;
  index: number;
}

/**
 * Which of a connection's messages a terminal still has to write, given the last one it wrote.
 * Tracking the id rather than a count keeps a live terminal writing after the feed starts dropping its
 * oldest messages at its cap (the count stays put then). If that message is gone altogether
 * (another connection, a reload), or stands later than it did (the rest of a stored transcript was read in
 * under live messages already written), everything is written again from the top: in wire order.
 */
export function unwritten(messages: readonly LabMessage[], last: LastWritten | null): { rewrite: boolean; messages: readonly LabMessage[] } {
  if (last === null) return { rewrite: false, messages };
  // New messages are appended, so the last written one is near the end.
  for (let i = messages.length - 1; i >= 0; i--) {
    // The feed only drops messages before it (its cap): standing later, it had some put in before it.
    if (messages[i].id === last.id) return i > last.index ? { rewrite: true, messages } : { rewrite: false, messages: messages.slice(i + 1) };
  }
  return { rewrite: true, messages };
}
