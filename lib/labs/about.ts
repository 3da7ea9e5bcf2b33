/**
 * What a lab says about itself, as plain data: the nav, the home cards, README's port table and
 * the daemon's config all read it. No imports, so the UI can bundle it (servers/<lab>/about.ts).
 */

/** One environment variable a lab reads; `port` ones are public listening ports (0 = any free port). */
export interface LabEnvVar {
  env: string;
  /** The value used when the variable is unset, as README's table prints it. */
  default: number | string;
  /** What it sets, in README's words. */
  what: string;
}

/** A public TCP port of the lab (its tap), set by `env`. */
export interface LabPort extends LabEnvVar {
  default: number;
  /**
   * A variable that opens several ports (ZeroMQ's base port): what each is called, at `env` + its
   * index. Lesson text names them after the lab id ({{port zmq-pub}}).
   */
  roles?: readonly string[];
}

/** A lab as the UI and README see it. `id` is its protocol id, URL slug and config key. */
export interface LabAbout {
  id: string;
  title: string;
  tagline: string;
  topics: readonly string[];
  /** Live labs have a page and a server; the others are shown as "coming". */
  live: boolean;
  ports: readonly LabPort[];
  /** Other variables the lab reads (limits, ranges). */
  settings: readonly LabEnvVar[];
}

/** Every variable a lab reads, ports first. */
export function envVarsOf(about: LabAbout): readonly LabEnvVar[] {
  return [...about.ports, ...about.settings];
}

/** The declared variable `env` of a lab; throws if the lab's about.ts does not declare it (a typo in a schema). */
function declared(about: LabAbout, env: string): LabEnvVar {
  const found = envVarsOf(about).find((v) => v.env === env);
  if (!found) throw new Error(`${about.id}: ${env} is not declared in its about.ts`);
  return found;
}

/** The numeric default of one of the lab's variables, so its config schema and README share one value. */
export function numberDefault(about: LabAbout, env: string): number {
  const value = declared(about, env).default;
  if (typeof value !== 'number') throw new Error(`${about.id}: ${env} does not default to a number`);
  return value;
}

/** The text default of one of the lab's variables (ranges and the like). */
export function textDefault(about: LabAbout, env: string): string {
  return String(declared(about, env).default);
}
