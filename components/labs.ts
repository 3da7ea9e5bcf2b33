/**
 * The labs shown on the home page and in the navigation; `live` ones have a page. Derived from
 * each lab's servers/<lab>/about.ts (servers/abouts.ts, pure data), so a lab is described once.
 */
import { ABOUTS, type LabId } from '@/servers/abouts';

export interface LabEntry {
  slug: LabId;
  name: string;
  tagline: string;
  topics: readonly string[];
  live: boolean;
}

export const LABS: LabEntry[] = ABOUTS.map((about) => ({
  slug: about.id,
  name: about.title,
  tagline: about.tagline,
  topics: about.topics,
  live: about.live,
}));
