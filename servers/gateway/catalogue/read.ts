/**
 * Reading the route tables as syntax: the literals the extractor accepts, and a clear problem (file,
 * line, what was expected) for anything else instead of a guess.
 */
import ts from 'typescript';
import { lineOf, type SourceScope } from './calls.ts';
import type { ExtractProblem } from './types.ts';

/** Thrown inside the extractor for a construct it cannot read; caught at the top and returned as a problem. */
export class UnreadableSource extends Error {
  constructor(readonly problem: ExtractProblem) {
    super(problem.message);
  }
}

/** Stops the extraction at `node` with a message naming what was expected. */
export function unreadable(scope: SourceScope, node: ts.Node, message: string): never {
  throw new UnreadableSource({ file: scope.relative(node.getSourceFile()), line: lineOf(node), message });
}

/** `x as const`, `x satisfies T`, `(x)` → x. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** The declaration an identifier names, through imports. */
export function declarationOf(scope: SourceScope, id: ts.Expression): ts.Declaration | undefined {
  let symbol = scope.checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = scope.checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

/** A string written as a literal or as a `const` naming one (e.g. CALENDAR_PATH). */
export function constString(scope: SourceScope, expr: ts.Expression, what: string): string {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isIdentifier(e)) {
    const decl = declarationOf(scope, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return constString(scope, decl.initializer, what);
  }
  return unreadable(scope, expr, `${what} must be a string literal or a const naming one.`);
}

/** The named exported table's array literal, or undefined when the module has no such table. */
export function tableOf(scope: SourceScope, file: ts.SourceFile, name: string): ts.ArrayLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || decl.name.text !== name) continue;
      const init = decl.initializer && unwrap(decl.initializer);
      if (!init || !ts.isArrayLiteralExpression(init)) return unreadable(scope, decl, `${name} must be an array literal.`);
      return init;
    }
  }
  return undefined;
}

export function propertiesOf(scope: SourceScope, obj: ts.ObjectLiteralExpression): Map<string, ts.Expression> {
  const props = new Map<string, ts.Expression>();
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props.set(p.name.text, p.initializer);
    else if (ts.isShorthandPropertyAssignment(p)) props.set(p.name.text, p.name);
    else unreadable(scope, p, 'A route entry may only have plain `name: value` properties (no spread, no computed names).');
  }
  return props;
}

export function required(scope: SourceScope, props: Map<string, ts.Expression>, at: ts.Node, name: string): ts.Expression {
  return props.get(name) ?? unreadable(scope, at, `A route entry needs a "${name}" property.`);
}

export function classOf(scope: SourceScope, expr: ts.Expression, what: string): ts.ClassDeclaration {
  const decl = declarationOf(scope, unwrap(expr));
  if (!decl || !ts.isClassDeclaration(decl) || !decl.name) return unreadable(scope, expr, `${what} must name a class declared in the sources.`);
  return decl;
}
