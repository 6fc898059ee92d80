/**
 * A real Prometheus server (Debian's /usr/bin/prometheus) scraping remedy's metrics text from a
 * loopback HTTP server, then queried through its HTTP API: what a dashboard would see, label
 * escaping included. Everything listens on 127.0.0.1; the server is ended by pid.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample { labels: Record<string, string>; value: string }

export interface ScrapedPrometheus {
  /** The instant query `query` (PromQL), each series' labels (without job and instance) and value. */
  query(query: string): Promise<Sample[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  s.close();
  return port;
}

/** Starts Prometheus scraping `text` (served as text/plain; version=0.0.4) every second, and waits for the first scrape. */
export async function scrapeWithPrometheus(text: string): Promise<ScrapedPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-prometheus-'));
  const target: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(text);
  });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  const targetPort = (target.address() as AddressInfo).port;
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1m }
scrape_configs:
  - job_name: remedy
    static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }]
`);
  const child: ChildProcess = spawn('/usr/bin/prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => { log += c.toString(); });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
    target.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (q: string): Promise<Sample[]> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
    assert.equal(body.status, 'success', body.error);
    return body.data!.result.map((r) => {
      const { job: _job, instance: _instance, ...labels } = r.metric;
      return { labels, value: r.value[1] };
    });
  };
  try {
    const end = Date.now() + 30_000;
    for (;;) {
      const up = await query('up{job="remedy"}').catch(() => []);
      if (up.length > 0 && up[0]!.value === '1') break;
      if (up.length > 0 && up[0]!.value === '0') throw new Error('Prometheus could not read the metrics (up == 0)');
      if (child.exitCode !== null || Date.now() > end) throw new Error(`Prometheus did not scrape the metrics:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { query, stop };
}
