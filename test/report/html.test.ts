import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { sanitizeText } from '../../src/report/text.js';
import type { RunReport } from '../../src/model/results.js';
import { hostile, HOSTILE_TEXT, report, web01, windowReport } from './fixtures.js';
import { fleetReport } from './fleet.js';
import { keepScreenshot, launchBrowser, type Browser, type OpenedPage } from './browser.js';

/** The host names in the table's visible rows, top to bottom. */
function visibleHosts(page: Page): Promise<string[]> {
  return page.$$eval('#hosts > tbody > tr:not(.detail-row):not([hidden]) button.host', (els) => els.map((e) => e.textContent ?? ''));
}

/** The reports of this suite, all opened in one browser. */
describe('HTML report (renderHtml) in headless Chromium', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'remedy-html-'));
  let browser: Browser | undefined;
  const file = (name: string, r: RunReport): string => {
    const path = join(dir, `${name}.html`);
    writeFileSync(path, renderHtml(r));
    return path;
  };
  const open = async (name: string, r: RunReport): Promise<OpenedPage> => {
    const opened = await browser!.openPage(file(name, r));
    await opened.page.waitForSelector('body[data-ready="true"]');
    return opened;
  };
  const clean = (o: OpenedPage): void => {
    assert.deepEqual(o.errors, [], 'no console errors');
    assert.deepEqual(o.requests, [o.url], 'no request but the file itself');
  };

  before(async function () {
    this.timeout(60_000);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the tiles, the attention and reboot lists and every host; keeps a screenshot (test-output/report.png)', async () => {
    const o = await open('window', windowReport());
    const { page } = o;
    const tiles = await page.$$eval('.tile', (els) => els.map((e) => `${e.querySelector('.l')!.textContent}=${e.querySelector('.n')!.textContent}`));
    assert.deepEqual(tiles, ['hosts=4', 'ok=0', 'changed=1', 'failed=1', 'never came back from reboot=1', 'unreachable=1', 'reboot required=2', 'stale processes=3']);
    const attention = await page.$$eval('#attention tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(attention.map((r) => r.slice(0, 2)), [['web03', 'never came back from reboot'], ['web02', 'failed'], ['db1', 'unreachable']]);
    assert.match(attention[0]![2]!, /reboot-timeout: the host did not come back within 30s/);
    const reboot = await page.$$eval('#reboot tbody tr', (rows) => rows.map((r) => r.textContent));
    assert.deepEqual(reboot, ['web02kernel: running 6.1.0-1, newest installed 6.1.0-9core-package: glibc updated after boot', 'web03kernel: running 6.1.0-1, newest installed 6.1.0-9']);
    assert.deepEqual(await visibleHosts(page), ['web01', 'web02', 'db1', 'web03']);
    await page.click('#hosts button.host:text-is("web03")');
    await keepScreenshot(page, 'report');
    clean(o);
  });

  it('a host\'s details: stale processes with owners and files, restarted, killed, steps with durations and messages', async () => {
    const o = await open('details', windowReport());
    const { page } = o;
    await page.click('#hosts button.host:text-is("web03")');
    await page.click('#hosts button.host:text-is("web02")');
    const details = await page.$$eval('tr.detail-row:not([hidden])', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.equal(details.length, 2);
    const web03 = details.find((d) => d.includes('192.0.2.4'))!;
    assert.match(web03, /812sshdrootsystemd-unit ssh\.service\/usr\/lib\/x86_64-linux-gnu\/libcrypto\.so\.3 \(deleted\)\/usr\/sbin\/sshd \(deleted\)/);
    assert.match(web03, /990in\.imapdnobodyxinetd imap\/usr\/lib\/libwrap\.so\.0 \(deleted\)/);
    assert.match(web03, /kernelReboot and wait for a new boot idfailed \(reboot-timeout\)30\.0sthe host did not come back within 30s/);
    const web02 = details.find((d) => d.includes('192.0.2.2'))!;
    assert.match(web02, /Killed \(1\)pidcommandsignal4242in\.telnetdKILL/);
    assert.match(web02, /servicesrestart sshdfailed \(exit-code\)0\.2s1exit code 1/);
    const web01Box = await (async () => { await page.click('#hosts button.host:text-is("web01")'); return page.textContent('tr.detail-row:not([hidden]) >> nth=0'); })();
    assert.match(web01Box ?? '', /Restarted \(1\)sshd\.service/);
    // a second click folds it again
    await page.click('#hosts button.host:text-is("web02")');
    assert.equal(await page.getAttribute('#hosts button.host:text-is("web02")', 'aria-expanded'), 'false');
    clean(o);
  });

  it('filters while typing (words, status:, reboot:, the tiles) and sorts by clicking headers', async () => {
    const o = await open('filter', windowReport());
    const { page } = o;
    await page.fill('#filter', 'web0');
    assert.deepEqual(await visibleHosts(page), ['web01', 'web02', 'web03']);
    await page.fill('#filter', '');
    await page.type('#filter', 'libwrap');
    assert.deepEqual(await visibleHosts(page), ['web03'], 'a stale process\'s file matches');
    await page.fill('#filter', 'status:unreachable');
    assert.deepEqual(await visibleHosts(page), ['db1']);
    assert.equal(await page.textContent('#shown'), '1 of 4 hosts');
    await page.click('.tile:has-text("reboot required")');
    assert.equal(await page.inputValue('#filter'), 'reboot:yes');
    assert.deepEqual(await visibleHosts(page), ['web02', 'web03']);
    await page.fill('#filter', '');
    await page.click('#hosts th:has-text("host") button');
    assert.deepEqual(await visibleHosts(page), ['db1', 'web01', 'web02', 'web03']);
    await page.click('#hosts th:has-text("host") button');
    assert.deepEqual(await visibleHosts(page), ['web03', 'web02', 'web01', 'db1']);
    await page.click('#hosts th:has-text("stale") button');
    assert.equal(await page.getAttribute('#hosts th:has-text("stale")', 'aria-sort'), 'ascending');
    assert.deepEqual(await visibleHosts(page), ['web01', 'db1', 'web02', 'web03']);
    await page.click('#hosts th:has-text("time") button');
    await page.click('#hosts th:has-text("time") button');
    assert.deepEqual(await visibleHosts(page), ['web03', 'web01', 'web02', 'db1'], 'numeric, not text order (30.0s > 0.5s)');
    clean(o);
  });

  it('hostile host text is shown as text: no script runs, no element or request comes from it', async () => {
    const o = await open('hostile', report([hostile, web01]));
    const { page } = o;
    await page.click('#hosts button.host >> nth=0');
    assert.equal(await page.$$eval('img', (e) => e.length), 0);
    assert.equal(await page.$$eval('script', (e) => e.length), 2, 'the data block and the page script only');
    assert.equal(await page.$$eval('a', (e) => e.length), 0);
    const detail = await page.textContent('tr.detail-row');
    assert.ok(detail!.includes(sanitizeText(HOSTILE_TEXT).split('\n')[0]!), detail!);
    assert.equal(await page.title(), 'remedy: services.yml');
    clean(o);
  });

  it('1,000 hosts: one file, all rows, filtering and sorting work; keeps test-output/report-1000.png', async () => {
    const r = fleetReport(1000);
    const path = file('fleet', r);
    const o = await browser!.openPage(path);
    const { page } = o;
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal((await visibleHosts(page)).length, 1000);
    await page.fill('#filter', 'status:unreachable');
    assert.equal((await visibleHosts(page)).length, r.summary.unreachable);
    await page.fill('#filter', 'dc1 reboot:yes');
    const expected = r.hosts.filter((h) => h.name.includes('dc1') && h.rebootRequired).map((h) => h.name);
    assert.deepEqual(await visibleHosts(page), expected);
    await page.fill('#filter', '');
    await page.click('#hosts th:has-text("stale") button');
    await page.click('#hosts th:has-text("stale") button');
    const first = (await visibleHosts(page))[0]!;
    assert.equal(r.hosts.find((h) => h.name === first)!.stale.length, Math.max(...r.hosts.map((h) => h.stale.length)));
    await keepScreenshot(page, 'report-1000', false);
    clean(o);
    assert.ok(statSync(path).size < 8 * 1024 * 1024, `${statSync(path).size} bytes`);
  });
});
