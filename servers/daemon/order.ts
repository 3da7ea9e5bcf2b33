import type { AnyLabModule } from './lab.ts';

/**
 * The labs in an order that starts each after the labs it `requires` (registry order otherwise).
 * Throws, naming both labs, if a requirement is not in the list or labs require each other.
 */
export function orderByRequires(modules: readonly AnyLabModule[]): AnyLabModule[] {
  const byId = new Map(modules.map((module) => [module.about.id, module]));
  const ordered: AnyLabModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (module: AnyLabModule, path: string[]) => {
    const seen = state.get(module.about.id);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`Labs require each other: ${[...path, module.about.id].join(' → ')}.`);
    state.set(module.about.id, 'visiting');
    for (const id of module.requires ?? []) {
      const required = byId.get(id);
      if (!required) throw new Error(`The ${module.about.title} lab requires the ${id} lab, which is not in the lab list: register it in servers/index.ts (or pass it to the test daemon).`);
      visit(required, [...path, module.about.id]);
    }
    state.set(module.about.id, 'done');
    ordered.push(module);
  };
  for (const module of modules) visit(module, []);
  return ordered;
}
