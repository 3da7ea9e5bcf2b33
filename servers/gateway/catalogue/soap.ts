/**
 * The XML services (`SOAP_SERVICES`) read as syntax: each entry points at a WSDL operations table
 * (servers/soap/wsdl.ts's CALENDAR_OPERATIONS), whose literal parts become the catalogue's request and
 * reply. A SOAP service is one POST to one path; the operation is named by the body's element.
 */
import ts from 'typescript';
import { lineOf, type SourceScope } from './calls.ts';
import { constString, declarationOf, propertiesOf, required, tableOf, unreadable, unwrap } from './read.ts';
import type { CatalogueField, CatalogueService } from './types.ts';

function objectAt(scope: SourceScope, expr: ts.Expression, what: string): ts.ObjectLiteralExpression {
  let e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const decl = declarationOf(scope, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) e = unwrap(decl.initializer);
  }
  if (!ts.isObjectLiteralExpression(e)) return unreadable(scope, expr, `${what} must be an object literal or a const naming one.`);
  return e;
}

function part(scope: SourceScope, expr: ts.Expression): CatalogueField {
  const props = propertiesOf(scope, objectAt(scope, expr, 'A WSDL part'));
  return { name: constString(scope, required(scope, props, expr, 'name'), 'A part name'), type: constString(scope, required(scope, props, expr, 'type'), 'A part type'), optional: false };
}

export function readSoapServices(scope: SourceScope, entry: ts.SourceFile): CatalogueService[] {
  const table = tableOf(scope, entry, 'SOAP_SERVICES');
  if (!table) return []; // a version may have no XML services
  return table.elements.flatMap((element) => {
    const props = propertiesOf(scope, objectAt(scope, element, 'A SOAP service entry'));
    const name = constString(scope, required(scope, props, element, 'name'), '"name"');
    const uriTemplate = constString(scope, required(scope, props, element, 'path'), '"path"');
    const fault = constString(scope, required(scope, props, element, 'fault'), '"fault"');
    const operationsExpr = required(scope, props, element, 'operations');
    const operations = objectAt(scope, operationsExpr, '"operations"');
    const tableName = ts.isIdentifier(unwrap(operationsExpr)) ? (unwrap(operationsExpr) as ts.Identifier).text : `${name} operations`;
    return operations.properties.map((op): CatalogueService => {
      if (!ts.isPropertyAssignment(op) || !(ts.isIdentifier(op.name) || ts.isStringLiteral(op.name))) return unreadable(scope, op, 'A WSDL operation must be a plain `name: { ... }` property.');
      const opName = op.name.text;
      const opProps = propertiesOf(scope, objectAt(scope, op.initializer, `Operation ${opName}`));
      const input = unwrap(required(scope, opProps, op, 'input'));
      if (!ts.isArrayLiteralExpression(input)) return unreadable(scope, input, `The input of ${opName} must be an array literal of parts.`);
      return {
        id: `soap.${name}.${opName}`,
        protocol: 'soap',
        method: 'POST',
        uriTemplate,
        summary: opProps.has('doc') ? constString(scope, opProps.get('doc') as ts.Expression, '"doc"') : '',
        status: 200,
        // The operation is handled where the WSDL declares it: the table entry names the portType operation.
        handler: { class: tableName, method: opName, file: scope.relative(op.getSourceFile()), line: lineOf(op) },
        request: { name: opName, array: false, fields: input.elements.map((e) => part(scope, e)) },
        reply: { name: `${opName}Response`, array: false, fields: [part(scope, required(scope, opProps, op, 'output'))] },
        // The operation's fault (bad arguments: the sender's) travels with HTTP 500 in SOAP 1.1 (§6.2), and as
        // an env:Sender fault with 400 in SOAP 1.2 (Part 2 §7.5.2.2, Table 20; other 1.2 faults 500).
        errors: [
          { name: fault, status: 500, code: 'soap-fault (SOAP 1.1)' },
          { name: fault, status: 400, code: 'soap-fault (SOAP 1.2 Sender)' },
        ],
        calls: [],
      };
    });
  });
}
