/**
 * The plain value of a parsed YAML document, with what can go wrong on the way as located problems
 * rather than crashes: an alias to an anchor that does not exist, an alias inside the node it names (a
 * recursive alias), a merge key (`<<`) whose value is not a mapping, more aliases than a bound (an alias
 * bomb), nesting too deep for the parser.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, visit, type Document, type LineCounter, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from '../model/errors.js';

/** Aliases expanded per document: far above what a real file uses (the yaml package's 100 was not). */
export const MAX_ALIAS_COUNT = 10_000;

interface Found { node: Node; message: string }

/** The first alias or merge key the document's value cannot be built from, and why. */
function findBadNode(doc: Document): Found | undefined {
  let found: Found | undefined;
  visit(doc, {
    Alias(_key, node, path) {
      const target = node.resolve(doc);
      if (!target) found = { node, message: `the alias *${node.source} names no anchor set before it` };
      else if (path.includes(target as never)) found = { node, message: `the alias *${node.source} is inside the node it names (a recursive alias)` };
      return found ? visit.BREAK : undefined;
    },
    Pair(_key, pair) {
      if (isCollection(pair.key)) {
        found = { node: pair.key as Node, message: 'a mapping key must be a plain value (text or a number), not a list or a mapping' };
        return visit.BREAK;
      }
      if (!isScalar(pair.key) || (pair.key.value !== '<<' && pair.key.source !== '<<')) return undefined;
      const v = pair.value;
      const source = (n: unknown): boolean => isMap(n) || (isAlias(n) && isMap(n.resolve(doc)));
      if (!(source(v) || (isSeq(v) && v.items.every(source)))) {
        found = { node: pair.key as Node, message: 'a merge key (<<) takes a mapping, an alias of one, or a list of those' };
      }
      return found ? visit.BREAK : undefined;
    },
  });
  return found;
}

function at(file: string, lineCounter: LineCounter, node: Node | undefined, message: string): ConfigProblem {
  if (!node?.range) return { file, message };
  const p = lineCounter.linePos(node.range[0]);
  return { file, line: p.line, column: p.col, message };
}

/** The document's plain value; every failure becomes a ConfigError at file:line:column. */
export function documentValue(file: string, doc: Document, lineCounter: LineCounter): unknown {
  const bad = findBadNode(doc);
  if (bad) throw new ConfigError(at(file, lineCounter, bad.node, bad.message));
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const why = err instanceof RangeError ? 'the document nests too deeply to read'
      : /alias count/i.test((err as Error).message) ? `more than ${MAX_ALIAS_COUNT} aliases expanded: an alias bomb?`
        : (err as Error).message;
    throw new ConfigError({ file, message: `YAML: ${why}` });
  }
}
