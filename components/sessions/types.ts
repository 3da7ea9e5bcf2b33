/** The kernel types the sessions page works with, in one place. */
export type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
export type { LabEvent } from '@/lib/bus/events.ts';
