'use client';

import type { ViewMode } from '@/components/terminal/render';
import { Segmented } from './tab-bar';

const VIEWS = [
  ['endpoint', 'Endpoint view'],
  ['wire', 'What an eavesdropper sees'],
] as const;

/** Switches between what the endpoints saw and what an eavesdropper on the wire sees. */
export function ViewToggle({ mode, onChange }: { mode: ViewMode; onChange(mode: ViewMode): void }) {
  return <Segmented label="View" size="md" value={mode} options={VIEWS} onChange={onChange} />;
}
