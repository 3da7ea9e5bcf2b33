/** The REST route table (`ROUTES`) read as syntax, its classes, methods and types resolved by the checker. */
import ts from 'typescript';
import { callTree, lineOf, replyOf, requestOf, type SourceScope } from './calls.ts';
import { classOf, constString, declarationOf, propertiesOf, required, tableOf, unreadable, unwrap } from './read.ts';
import type { CatalogueError, CatalogueService } from './types.ts';

/** A static `status`/`code` of an error class or of the nearest base class that sets it. */
function staticOf(scope: SourceScope, cls: ts.ClassDeclaration, name: 'status' | 'code'): string | number | undefined {
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.initializer || member.name.getText() !== name) continue;
    if (!member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    const init = unwrap(member.initializer);
    if (ts.isNumericLiteral(init)) return Number(init.text);
    if (ts.isStringLiteral(init)) return init.text;
  }
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!base) return undefined;
  const decl = declarationOf(scope, base.expression);
  return decl && ts.isClassDeclaration(decl) ? staticOf(scope, decl, name) : undefined;
}

function errorsOf(scope: SourceScope, expr: ts.Expression): CatalogueError[] {
  const list = unwrap(expr);
  if (!ts.isArrayLiteralExpression(list)) return unreadable(scope, expr, '"errors" must be an array literal of error classes.');
  return list.elements.map((element) => {
    const cls = classOf(scope, element, 'Each declared error');
    const status = staticOf(scope, cls, 'status');
    const code = staticOf(scope, cls, 'code');
    if (typeof status !== 'number' || typeof code !== 'string') return unreadable(scope, element, `${cls.name?.text} must have a static numeric status and string code (its own or inherited).`);
    return { name: cls.name?.text ?? '', status, code };
  });
}

function methodOf(scope: SourceScope, cls: ts.ClassDeclaration, action: string, at: ts.Node): ts.MethodDeclaration {
  // The instance type's property finds inherited methods too (a v2 controller extending v1's).
  const instance = scope.checker.getDeclaredTypeOfSymbol(scope.checker.getSymbolAtLocation(cls.name as ts.Identifier) as ts.Symbol);
  const decl = instance.getProperty(action)?.valueDeclaration;
  if (!decl || !ts.isMethodDeclaration(decl)) return unreadable(scope, at, `${cls.name?.text} has no method ${action}.`);
  return decl;
}

function readRoute(scope: SourceScope, element: ts.Expression): CatalogueService {
  let obj = unwrap(element);
  if (ts.isCallExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'route' && obj.arguments.length === 1) obj = unwrap(obj.arguments[0]);
  if (!ts.isObjectLiteralExpression(obj)) return unreadable(scope, element, 'A route entry must be `route({ ... })` or an object literal.');
  const props = propertiesOf(scope, obj);
  const cls = classOf(scope, required(scope, props, obj, 'controller'), '"controller"');
  const action = constString(scope, required(scope, props, obj, 'action'), '"action"');
  const method = methodOf(scope, cls, action, required(scope, props, obj, 'action'));
  const owner = method.parent as ts.ClassDeclaration;
  const statusExpr = props.get('status');
  const status = statusExpr === undefined ? 200 : Number(ts.isNumericLiteral(unwrap(statusExpr)) ? (unwrap(statusExpr) as ts.NumericLiteral).text : NaN);
  if (!Number.isInteger(status)) unreadable(scope, statusExpr as ts.Node, '"status" must be a number literal.');
  const className = cls.name?.text ?? '';
  const ownerName = owner.name?.text ?? '';
  return {
    id: constString(scope, required(scope, props, obj, 'name'), '"name"'),
    protocol: 'rest',
    method: constString(scope, required(scope, props, obj, 'method'), '"method"'),
    uriTemplate: constString(scope, required(scope, props, obj, 'path'), '"path"'),
    summary: props.has('summary') ? constString(scope, props.get('summary') as ts.Expression, '"summary"') : '',
    status,
    handler: {
      class: className,
      method: action,
      file: scope.relative(method.getSourceFile()),
      line: lineOf(method),
      ...(ownerName !== className ? { declaredIn: ownerName } : {}),
    },
    request: requestOf(scope.checker, method),
    reply: replyOf(scope.checker, method),
    errors: errorsOf(scope, required(scope, props, obj, 'errors')),
    calls: callTree(scope, method),
  };
}

export function readRoutes(scope: SourceScope, entry: ts.SourceFile): CatalogueService[] {
  const table = tableOf(scope, entry, 'ROUTES');
  if (!table) unreadable(scope, entry, 'The module exports no ROUTES table.');
  return table.elements.map((element) => readRoute(scope, element));
}
