/**
 * The service catalogue as plain JSON: what the extractor reads out of a version's sources, what Sync
 * shows and diffs, and what the access-control model refers to by service id. Nothing here imports the
 * services: the catalogue is data about code, not the code.
 */

/** One field of a request or reply type, with its type as the compiler prints it. */
export interface CatalogueField {
  name: string;
  type: string;
  optional: boolean;
}

/** A request or reply type: its resolved name (e.g. `CourseSummary[]`) and the fields of the object (of the element, for an array). */
export interface CatalogueType {
  name: string;
  array: boolean;
  fields: CatalogueField[];
}

/** A declared error: the class, the HTTP status it answers with, its stable code. */
export interface CatalogueError {
  name: string;
  status: number;
  code: string;
}

/** Which layer a method belongs to, from its class's name (or its file's, for a function). */
export type CallLayer = 'controller' | 'service' | 'repository' | 'helper';

/** A method or function of the sources reached from a handler, and what it calls in turn (evaluation order, each callee once). */
export interface CallNode {
  /** The class that declares the method; null for a plain function. */
  class: string | null;
  method: string;
  file: string;
  line: number;
  layer: CallLayer;
  calls: CallNode[];
  /** Set when the callee is already on the path above it (recursion): its calls are not repeated. */
  recursive?: true;
}

/** Where a service is handled: the route's controller class, the method, and where that method is declared. */
export interface CatalogueHandler {
  class: string;
  method: string;
  file: string;
  line: number;
  /** The class that declares the method when it is inherited (a v2 controller extending v1's). */
  declaredIn?: string;
}

export interface CatalogueService {
  /** The stable service name from the route table (`courses.enrol`, `soap.calendar.getMonth`). */
  id: string;
  protocol: 'rest' | 'soap';
  method: string;
  uriTemplate: string;
  summary: string;
  /** Status of a success (REST). */
  status: number;
  handler: CatalogueHandler;
  request: CatalogueType;
  reply: CatalogueType;
  errors: CatalogueError[];
  /** What the handler calls, down to the repositories. */
  calls: CallNode[];
}

export interface Catalogue {
  version: string;
  services: CatalogueService[];
}

/** A place in the sources the extractor could not read, in words. */
export interface ExtractProblem {
  file: string;
  line: number;
  message: string;
}

export interface ExtractStats {
  /** Source files of the version read (the TypeScript standard library not counted). */
  files: number;
  /** Wall time of this call, in milliseconds. */
  ms: number;
  /** True when the sources' hashes matched the last extraction of this version and its result was reused. */
  cached: boolean;
}

/** Extraction never throws: either a catalogue, or an error with the places that caused it. */
export type ExtractResult =
  | { ok: true; catalogue: Catalogue; stats: ExtractStats }
  | { ok: false; error: string; problems: ExtractProblem[]; stats: ExtractStats };

/** One field of a service that differs between two versions. */
export interface CatalogueChange {
  field: 'method' | 'uriTemplate' | 'protocol' | 'summary' | 'status' | 'handler' | 'request' | 'reply' | 'errors' | 'calls';
  before: unknown;
  after: unknown;
}

/** What Sync shows: services added, removed, and changed (by id), in the catalogues' order. */
export interface CatalogueDiff {
  from: string;
  to: string;
  added: string[];
  removed: string[];
  changed: { id: string; changes: CatalogueChange[] }[];
}
