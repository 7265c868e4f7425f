// Opens a gossipnet node's /ui page in headless Chromium and reports what it shows, for UiPageTest.
// Usage: node ui-check.mjs <page URL> <screenshot dir> <expected count>...
// For each expected peer count in turn it waits (up to 20 s) until the page shows it, prints
// {"event":"count","value":N,"rows":R,"edges":E,"networks":[...]} on stdout, saves a screenshot
// <dir>/peers-N.png, then waits for a line on stdin before looking for the next count (the test
// changes the node's peers in between). Exits 0 when all were seen, 1 otherwise.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const [url, shots, ...counts] = process.argv.slice(2);
const executablePath = process.env.GOSSIPNET_CHROMIUM || '/usr/bin/chromium';
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let ok = true;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('requestfailed', r => { if (!r.url().startsWith(url.replace(/\/ui.*$/, ''))) errors.push('outside request ' + r.url()); });
  await page.goto(url);
  for (let i = 0; i < counts.length; i++) {
    const want = counts[i];
    await page.waitForFunction(n => document.getElementById('peer-count')?.dataset.count === n, want, { timeout: 20000 });
    // One more refresh, so the counters the node updates a moment after its peer list are in.
    const stamp = await page.evaluate(() => document.getElementById('updated').textContent + '|' + performance.now());
    await page.waitForFunction(s => document.getElementById('updated').dataset.at !== s.split('|')[1] && Number(document.getElementById('updated').dataset.at) > Number(s.split('|')[1]), stamp, { timeout: 5000 });
    await page.waitForFunction(n => document.getElementById('peer-count')?.dataset.count === n, want, { timeout: 20000 });
    const report = await page.evaluate(() => ({
      rows: document.querySelectorAll('#peers tbody tr').length,
      edges: document.querySelectorAll('#mesh line.edge').length,
      networks: [...document.querySelectorAll('#peers tbody tr')].map(r => r.dataset.network),
      drops: [...document.querySelectorAll('#drops tbody tr[data-reason]')].map(r => r.dataset.reason),
    }));
    await page.screenshot({ path: `${shots}/peers-${want}.png`, fullPage: true });
    console.log(JSON.stringify({ event: 'count', value: Number(want), ...report, errors }));
    if (i < counts.length - 1) await lines.next();
  }
} catch (e) {
  ok = false;
  console.log(JSON.stringify({ event: 'error', message: String(e) }));
} finally {
  await browser.close();
}
process.exit(ok ? 0 : 1);
