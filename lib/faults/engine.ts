/**
 * Which scripted faults are armed, per sandbox: arm and disarm a rule, ask whether it covers a
 * connection, and consume one occurrence when it fires. One arming per rule and sandbox (arming
 * again replaces it). A sandbox's rules only ever match that sandbox's connections, so arming a
 * rule never touches another sandbox. Server-side rules register what arming does to their lab
 * (rotate a host key, flip a provider switch); tap-side rules are read by lib/faults/tap-faults.ts.
 */
import type { ArmedFault, FaultRule, FaultScope } from './types.ts';
import { FAULT_RULES } from './catalogue.ts';

/** A connection a rule may act on: its sandbox, id, and the connection it belongs to (an FTP data connection's control connection). */
export interface FaultTarget {
  sandbox: string;
  conn?: string;
  parent?: string;
}

/** What arming asks for (the route's words). */
export interface ArmRequest {
  rule: string;
  scope?: FaultScope;
  /** Fire this many times, then disarm; omitted or null: until disarmed. */
  times?: number | null;
  param?: number;
  /** The lesson whose what-if arms it (ArmedFault.lesson). */
  lesson?: string;
}

/** What a lab does when one of its server-side rules is armed or disarmed in a sandbox. */
export interface FaultActions {
  /** Returns an error in words when the lab cannot do it now. */
  armed?(fault: ArmedFault): string | void;
  disarmed?(fault: ArmedFault): void;
}

export class FaultEngine {
  private readonly armedBySandbox = new Map<string, Map<string, ArmedFault>>();
  private readonly listeners = new Set<(sandbox: string) => void>();
  private readonly actions = new Map<string, FaultActions>();

  constructor(
    readonly catalogue: readonly FaultRule[] = FAULT_RULES,
    private readonly now: () => number = Date.now,
  ) {}

  rule(id: string): FaultRule | undefined {
    return this.catalogue.find((rule) => rule.id === id);
  }

  /** What is armed in one sandbox. */
  armed(sandbox: string): ArmedFault[] {
    return [...(this.armedBySandbox.get(sandbox)?.values() ?? [])].map((fault) => ({ ...fault }));
  }

  /** A lab's server carries out `rule`: told when it is armed and disarmed. */
  registerActions(rule: string, actions: FaultActions): () => void {
    this.actions.set(rule, actions);
    return () => {
      if (this.actions.get(rule) === actions) this.actions.delete(rule);
    };
  }

  /** Whether a lab is running to carry out this server-side rule. */
  hasActions(rule: string): boolean {
    return this.actions.has(rule);
  }

  /** Arms a rule in a sandbox (replacing an earlier arming of it). Returns the armed fault, or an error in words. */
  arm(sandbox: string, request: ArmRequest): ArmedFault | string {
    const rule = this.rule(request.rule);
    if (!rule) return `No fault rule ${request.rule}.`;
    if (rule.at === 'server' && !this.actions.has(rule.id)) return `The ${rule.lab} lab is not running, so nothing can carry out "${rule.title}".`;
    const scope = request.scope ?? { kind: 'sandbox' };
    if (scope.kind === 'connection' && !scope.conn) return 'A rule armed for one connection needs its id (conn).';
    const times = request.times ?? null;
    if (times !== null && (!Number.isInteger(times) || times < 1)) return 'times must be a whole number of 1 or more (or left out: until disarmed).';
    let param: number | undefined;
    if (rule.param) {
      param = request.param ?? rule.param.default;
      if (!Number.isInteger(param) || param < rule.param.min || param > rule.param.max) return `${rule.param.name} must be a whole number from ${rule.param.min} to ${rule.param.max}.`;
    }
    const previous = this.armedBySandbox.get(sandbox)?.get(rule.id);
    if (previous) this.drop(previous);
    const fault: ArmedFault = {
      rule: rule.id,
      sandbox,
      scope,
      remaining: times,
      armedAt: this.now(),
      ...(param !== undefined ? { param } : {}),
      ...(request.lesson !== undefined ? { lesson: request.lesson } : {}),
    };
    const refused = this.actions.get(rule.id)?.armed?.(fault);
    if (typeof refused === 'string') {
      this.changed(sandbox);
      return refused;
    }
    let rules = this.armedBySandbox.get(sandbox);
    if (!rules) this.armedBySandbox.set(sandbox, (rules = new Map()));
    rules.set(rule.id, fault);
    this.changed(sandbox);
    return { ...fault };
  }

  /** Disarms a rule in a sandbox; false if it was not armed. */
  disarm(sandbox: string, rule: string): boolean {
    const fault = this.armedBySandbox.get(sandbox)?.get(rule);
    if (!fault) return false;
    this.drop(fault);
    this.changed(sandbox);
    return true;
  }

  /**
   * Disarms what lessons' what-ifs armed in a sandbox, those of the lessons `which` picks (a student who
   * leaves a lesson leaves its what-ifs too); what the Faults menu armed stays. Returns what it disarmed.
   */
  disarmWhatIfs(sandbox: string, which: (lesson: string) => boolean): ArmedFault[] {
    const gone = this.armed(sandbox).filter((fault) => fault.lesson !== undefined && which(fault.lesson));
    for (const fault of gone) this.disarm(sandbox, fault.rule);
    return gone;
  }

  /** The arming of `rule` that covers `target`, without consuming an occurrence. */
  peek(rule: string, target: FaultTarget): ArmedFault | undefined {
    const fault = this.armedBySandbox.get(target.sandbox)?.get(rule);
    return fault && covers(fault.scope, target) ? fault : undefined;
  }

  /** Whether any rule of `rules` covers `target` (cheap: a map lookup per rule). */
  anyArmed(rules: readonly string[], target: FaultTarget): boolean {
    const armed = this.armedBySandbox.get(target.sandbox);
    if (!armed || armed.size === 0) return false;
    return rules.some((rule) => {
      const fault = armed.get(rule);
      return fault !== undefined && covers(fault.scope, target);
    });
  }

  /**
   * The rule fires once for `target`: returns its arming (with its param) and counts the occurrence;
   * the last one of `times` disarms it. Undefined when it does not cover the target.
   */
  fire(rule: string, target: FaultTarget): ArmedFault | undefined {
    const fault = this.peek(rule, target);
    if (!fault) return undefined;
    const fired = { ...fault };
    if (fault.remaining !== null) {
      fault.remaining--;
      if (fault.remaining <= 0) this.drop(fault);
      this.changed(target.sandbox);
    }
    return fired;
  }

  /** Told whenever what is armed in a sandbox changes (taps stop framing when nothing needs it). */
  onChange(listener: (sandbox: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Disarms everything (shutdown), telling the labs so they put their switches back. */
  dispose(): void {
    for (const sandbox of [...this.armedBySandbox.keys()]) this.forget(sandbox);
  }

  /** Disarms every rule of a sandbox that expired, telling the labs so they drop what they keep for its armings. */
  forget(sandbox: string): void {
    for (const rule of [...(this.armedBySandbox.get(sandbox)?.keys() ?? [])]) this.disarm(sandbox, rule);
  }

  private drop(fault: ArmedFault): void {
    const rules = this.armedBySandbox.get(fault.sandbox);
    if (rules?.get(fault.rule) !== fault) return;
    rules.delete(fault.rule);
    if (rules.size === 0) this.armedBySandbox.delete(fault.sandbox);
    this.actions.get(fault.rule)?.disarmed?.(fault);
  }

  private changed(sandbox: string): void {
    for (const listener of this.listeners) listener(sandbox);
  }
}

/** A sandbox-wide arming covers every connection of the sandbox; a connection arming covers it and its secondary connections. */
function covers(scope: FaultScope, target: FaultTarget): boolean {
  if (scope.kind === 'sandbox') return true;
  return target.conn === scope.conn || (target.parent !== undefined && target.parent === scope.conn);
}
