/**
 * The real programs that read remedy's reports, run from the tests: python3-junitparser and xmllint
 * (JUnit), promtool (metrics), markdown-it (Markdown, CommonMark plus GitHub's tables). Each takes
 * many files per call where the tool allows it (a reference tool is slow to start).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import MarkdownIt from 'markdown-it';

export interface Run { code: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) {
      child.stdin!.on('error', reject);
      child.stdin!.end(input);
    }
  });
}

export interface ParsedCase {
  name: string;
  classname: string;
  time: number;
  results: Array<{ tag: 'failure' | 'error' | 'skipped'; type: string | null; message: string | null; text: string | null }>;
  properties: Array<[string, string]>;
  systemOut: string | null;
}
export interface ParsedSuite { name: string; tests: number; failures: number; errors: number; skipped: number; time: number; properties: Array<[string, string]>; cases: ParsedCase[] }

// Debian's python3-junitparser reads each file as a CI's JUnit importer would; testcase properties
// (which junitparser does not model) are read from the element it parsed.
const JUNITPARSER = `
import json, sys
from junitparser import JUnitXml, TestSuite, Failure, Error, Skipped
out = []
for path in sys.argv[1:]:
    xml = JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    parsed = []
    for s in suites:
        cases = []
        for c in s:
            props = [(p.get('name'), p.get('value')) for p in c._elem.findall('properties/property')]
            results = [{'tag': r._tag, 'type': r.type, 'message': r.message, 'text': r.text} for r in c.result]
            cases.append({'name': c.name, 'classname': c.classname, 'time': c.time, 'results': results, 'properties': props, 'systemOut': c.system_out})
        parsed.append({'name': s.name, 'tests': s.tests, 'failures': s.failures, 'errors': s.errors, 'skipped': s.skipped, 'time': s.time,
                       'properties': [(p.name, p.value) for p in s.properties()], 'cases': cases})
    out.append(parsed)
print(json.dumps(out))
`;

/** Parses JUnit files with python3-junitparser (Debian's /usr/bin/python3), one call for all. */
export async function parseJunit(files: string[]): Promise<ParsedSuite[][]> {
  const r = await run('/usr/bin/python3', ['-c', JUNITPARSER, ...files]);
  assert.equal(r.code, 0, `junitparser failed (apt-get install python3-junitparser):\n${r.stderr}`);
  return JSON.parse(r.stdout) as ParsedSuite[][];
}

/** xmllint --noout: every file is well-formed XML (no schema: no JUnit XSD ships in Debian). */
export async function xmllint(files: string[]): Promise<void> {
  const r = await run('xmllint', ['--noout', ...files]);
  assert.equal(r.code, 0, `xmllint (apt-get install libxml2-utils) rejected:\n${r.stderr}`);
  assert.equal(r.stderr, '');
}

/** promtool check metrics (Debian's prometheus): parses the text format and lints it; must say nothing. */
export async function promtoolCheck(text: string): Promise<void> {
  const r = await run('promtool', ['check', 'metrics'], text);
  assert.equal(r.code, 0, `promtool check metrics (apt-get install prometheus) rejected:\n${r.stdout}${r.stderr}`);
  assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
}

export interface MarkdownShape {
  headings: string[];
  /** Each table: its header cells and its rows' cells, as text. */
  tables: Array<{ header: string[]; rows: string[][] }>;
  /** <details> opened and closed, counted in the HTML blocks. */
  detailsOpen: number;
  detailsClose: number;
  /** The text of every paragraph, in order. */
  paragraphs: string[];
  /** The HTML markdown-it renders (html enabled, as GitHub allows <details>). */
  html: string;
}

const markdownIt = new MarkdownIt({ html: true, linkify: true });

/** Parses Markdown with markdown-it (CommonMark and GFM tables, linkify as GitHub) into its structure. */
export function parseMarkdown(text: string): MarkdownShape {
  const tokens = markdownIt.parse(text, {});
  const shape: MarkdownShape = { headings: [], tables: [], detailsOpen: 0, detailsClose: 0, paragraphs: [], html: markdownIt.render(text) };
  let table: { header: string[]; rows: string[][] } | undefined;
  let row: string[] | undefined;
  let inHead = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const inline = (): string => tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '';
    if (t.type === 'heading_open') shape.headings.push(inline());
    else if (t.type === 'paragraph_open' && !table) shape.paragraphs.push(inline());
    else if (t.type === 'table_open') table = { header: [], rows: [] };
    else if (t.type === 'table_close') { shape.tables.push(table!); table = undefined; }
    else if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close') { if (inHead) table!.header = row!; else table!.rows.push(row!); }
    else if (t.type === 'th_open' || t.type === 'td_open') row!.push(inline());
    else if (t.type === 'html_block' || t.type === 'html_inline') {
      shape.detailsOpen += (t.content.match(/<details>/g) ?? []).length;
      shape.detailsClose += (t.content.match(/<\/details>/g) ?? []).length;
    }
  }
  return shape;
}
