/**
 * The expression AST. Every node carries `offset`: the position (in the source it was parsed
 * from) that errors about this node point at — the identifier, the operator, the filter name.
 */
import type { PyFloat } from './py-values.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | 'and' | 'or';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export interface KeywordArg {
  name: string;
  value: Expr;
  offset: number;
}

export type Expr =
  | { kind: 'literal'; value: string | number | PyFloat | boolean | null; offset: number }
  | { kind: 'list'; items: Expr[]; tuple?: boolean; offset: number }
  | { kind: 'dict'; entries: Array<{ key: Expr; value: Expr }>; offset: number }
  | { kind: 'name'; name: string; offset: number }
  | { kind: 'attr'; object: Expr; name: string; offset: number }
  | { kind: 'index'; object: Expr; index: Expr; offset: number }
  | { kind: 'slice'; object: Expr; start?: Expr; stop?: Expr; step?: Expr; offset: number }
  | { kind: 'unary'; op: 'not' | '-' | '+'; operand: Expr; offset: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; offset: number }
  | { kind: 'compare'; first: Expr; rest: Array<{ op: CompareOp; right: Expr; offset: number }>; offset: number }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise?: Expr; offset: number }
  | { kind: 'filter'; input: Expr; name: string; args: Expr[]; kwargs: KeywordArg[]; offset: number }
  | { kind: 'test'; input: Expr; name: string; negated: boolean; args: Expr[]; kwargs: KeywordArg[]; offset: number }
  | { kind: 'call'; object: Expr; method: string; args: Expr[]; kwargs: KeywordArg[]; offset: number }
  | { kind: 'global'; name: string; args: Expr[]; kwargs: KeywordArg[]; offset: number };

/** Names that are never looked up, as variables, attributes, keys or methods. */
export function isForbiddenName(name: string): boolean {
  return name === 'constructor' || name === 'prototype' || name.startsWith('__');
}

/** Calls visit on node and every node below it, parents first. */
export function walkExpr(node: Expr, visit: (n: Expr) => void): void {
  visit(node);
  const kids: Expr[] = [];
  switch (node.kind) {
    case 'literal':
    case 'name':
      break;
    case 'list':
      kids.push(...node.items);
      break;
    case 'dict':
      for (const e of node.entries) kids.push(e.key, e.value);
      break;
    case 'attr':
      kids.push(node.object);
      break;
    case 'index':
      kids.push(node.object, node.index);
      break;
    case 'slice':
      kids.push(node.object);
      for (const k of [node.start, node.stop, node.step]) if (k) kids.push(k);
      break;
    case 'unary':
      kids.push(node.operand);
      break;
    case 'binary':
      kids.push(node.left, node.right);
      break;
    case 'compare':
      kids.push(node.first, ...node.rest.map((r) => r.right));
      break;
    case 'cond':
      kids.push(node.test, node.then);
      if (node.otherwise) kids.push(node.otherwise);
      break;
    case 'filter':
    case 'test':
      kids.push(node.input, ...node.args, ...node.kwargs.map((k) => k.value));
      break;
    case 'call':
      kids.push(node.object, ...node.args, ...node.kwargs.map((k) => k.value));
      break;
    case 'global':
      kids.push(...node.args, ...node.kwargs.map((k) => k.value));
      break;
  }
  for (const k of kids) walkExpr(k, visit);
}
