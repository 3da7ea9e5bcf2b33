/**
 * What the type checker tells about a handler: its request and reply types, and the call hierarchy
 * below it. Calls are resolved by the checker (a call through `this.service.x()` lands on the method
 * that the field's declared class has), never by running anything.
 */
import ts from 'typescript';
import type { CallLayer, CallNode, CatalogueField, CatalogueType } from './types.ts';

/** How deep the hierarchy goes: controller → service → repository is three; room for helpers and cross-area calls. */
const MAX_DEPTH = 8;

/** The program's own files, and how to name them (relative to the catalogue's root). */
export interface SourceScope {
  checker: ts.TypeChecker;
  isOwn(file: ts.SourceFile): boolean;
  relative(file: ts.SourceFile): string;
}

export function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

const PRINT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

function fieldsOf(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): CatalogueField[] {
  // Primitives and unions of them have no fields worth showing (their "properties" are String's methods).
  if (!(type.flags & ts.TypeFlags.Object) && !(type.flags & ts.TypeFlags.Intersection)) return [];
  return checker.getPropertiesOfType(type).map((prop) => {
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
    // An optional property's type gains `| undefined` under strict; show it as declared, the flag says optional.
    const decl = prop.valueDeclaration;
    const declared = optional && decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type ? checker.getTypeFromTypeNode(decl.type) : undefined;
    return { name: prop.name, type: checker.typeToString(declared ?? checker.getTypeOfSymbolAtLocation(prop, at), undefined, PRINT), optional };
  });
}

/** A type as the catalogue shows it: its printed name and, for an object or an array of objects, the fields. */
export function describeType(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): CatalogueType {
  const name = checker.typeToString(type, undefined, PRINT);
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    return { name, array: true, fields: element ? fieldsOf(checker, element, at) : [] };
  }
  return { name, array: false, fields: fieldsOf(checker, type, at) };
}

/** The first parameter's type (the parsed input), or `void` for a handler that takes none. */
export function requestOf(checker: ts.TypeChecker, method: ts.MethodDeclaration): CatalogueType {
  const first = method.parameters[0];
  if (!first) return { name: 'void', array: false, fields: [] };
  return describeType(checker, checker.getTypeAtLocation(first), first);
}

/** The handler's result with its Promise unwrapped. */
export function replyOf(checker: ts.TypeChecker, method: ts.MethodDeclaration): CatalogueType {
  const signature = checker.getSignatureFromDeclaration(method);
  if (!signature) return { name: 'unknown', array: false, fields: [] };
  const returned = signature.getReturnType();
  return describeType(checker, checker.getAwaitedType(returned) ?? returned, method);
}

type Callable = ts.MethodDeclaration | ts.FunctionDeclaration;

function layerOf(className: string | null, fileName: string): CallLayer {
  const name = className ?? '';
  if (/Controller(V\d+)?$/.test(name)) return 'controller';
  if (/Service$/.test(name)) return 'service';
  if (/Repository$/.test(name)) return 'repository';
  if (className === null) {
    const base = fileName.replace(/^.*\//, '');
    if (base === 'repository.ts') return 'repository';
  }
  return 'helper';
}

function classNameOf(decl: Callable): string | null {
  const parent = decl.parent;
  return ts.isClassLike(parent) ? (parent.name?.text ?? '(anonymous class)') : null;
}

/** The declaration a call lands on, when it is a method or function of the program's own sources. */
function calleeOf(scope: SourceScope, call: ts.CallExpression): Callable | undefined {
  const decl = scope.checker.getResolvedSignature(call)?.declaration;
  if (!decl || ts.isJSDocSignature(decl)) return undefined;
  if (!ts.isMethodDeclaration(decl) && !ts.isFunctionDeclaration(decl)) return undefined;
  if (!decl.body || !scope.isOwn(decl.getSourceFile())) return undefined;
  return decl;
}

/** The callees of one body in evaluation order, each once; nested arrow functions count as the body's own. */
function calleesIn(scope: SourceScope, body: ts.Node): Callable[] {
  const seen = new Set<Callable>();
  const visit = (node: ts.Node): void => {
    // A class or function declared inside the body is not run by it; its own calls are not this body's.
    if (ts.isClassLike(node) || ts.isFunctionDeclaration(node)) return;
    // Children first: a call's arguments (`f(g())`) run before it, so g is listed before f.
    ts.forEachChild(node, visit);
    if (ts.isCallExpression(node)) {
      const callee = calleeOf(scope, node);
      if (callee) seen.add(callee);
    }
  };
  ts.forEachChild(body, visit);
  return [...seen];
}

/** The call hierarchy below `root` (its callees, and theirs, to MAX_DEPTH). */
export function callTree(scope: SourceScope, root: Callable): CallNode[] {
  const memo = new Map<Callable, CallNode[]>();
  const below = (decl: Callable, path: Set<Callable>, depth: number): CallNode[] => {
    if (!decl.body || depth >= MAX_DEPTH) return [];
    const known = memo.get(decl);
    if (known) return known;
    const nodes = calleesIn(scope, decl.body).map((callee): CallNode => {
      const file = callee.getSourceFile();
      const className = classNameOf(callee);
      const node: CallNode = {
        class: className,
        method: callee.name?.getText(file) ?? '(anonymous)',
        file: scope.relative(file),
        line: lineOf(callee),
        layer: layerOf(className, file.fileName),
        calls: [],
      };
      if (path.has(callee) || callee === decl) {
        node.recursive = true;
        return node;
      }
      path.add(callee);
      node.calls = below(callee, path, depth + 1);
      path.delete(callee);
      return node;
    });
    // A subtree found on a path without recursion is the same wherever the method is called from.
    if (!nodes.some(hasRecursion)) memo.set(decl, nodes);
    return nodes;
  };
  return below(root, new Set([root]), 0);
}

function hasRecursion(node: CallNode): boolean {
  return node.recursive === true || node.calls.some(hasRecursion);
}
