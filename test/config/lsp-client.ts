/**
 * A minimal Language Server Protocol client over stdio (JSON-RPC with Content-Length headers), to
 * ask the real yaml-language-server what an editor would show. It answers the server's own
 * requests (workspace/configuration and the like) with nothing, and keeps its diagnostics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };

export class LspClient {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, (m: Message) => void>();
  readonly diagnostics = new Map<string, Array<{ message: string }>>();

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** yaml-language-server from node_modules, run by this Node. */
  static yamlLanguageServer(): LspClient {
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    return new LspClient(process.execPath, [bin, '--stdio']);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(m: Message): void {
    if (m.method === undefined && m.id !== undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method !== undefined && m.id !== undefined) {
      const items = (m.params as { items?: unknown[] } | undefined)?.items;
      this.send({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? (items ?? []).map(() => null) : null });
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const p = m.params as { uri: string; diagnostics: Array<{ message: string }> };
      this.diagnostics.set(p.uri, p.diagnostics);
    }
  }

  private send(message: object): void {
    const text = JSON.stringify(message);
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result as T)));
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  async initialize(): Promise<void> {
    await this.request('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown', 'plaintext'] } } },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: { yaml: { validate: true, hover: true, completion: true } } });
  }

  open(uri: string, text: string): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async completionLabels(uri: string, line: number, character: number): Promise<string[]> {
    const result = await this.request<{ items?: Array<{ label: string }> } | Array<{ label: string }> | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const items = Array.isArray(result) ? result : result?.items ?? [];
    return items.map((i) => i.label);
  }

  async hover(uri: string, line: number, character: number): Promise<string> {
    const result = await this.request<{ contents: { value: string } | string } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const contents = result?.contents;
    return typeof contents === 'string' ? contents : contents?.value ?? '';
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } finally {
      this.child.kill();
    }
  }
}
