// Browser tests: a real `dealdesk serve` on a temporary SQLite database and a
// free port, driven through Debian's Chromium with playwright-core. Walks the
// rep's daily loop, checks the offline outbox through the API, and writes
// screenshots of every main screen at 360×780 and 1280×800 to test-results/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const webRoot = resolve(import.meta.dirname, '..');
const serverBin = process.env.DEALDESK_BIN ?? resolve(webRoot, '../target/debug/dealdesk');
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const results = join(webRoot, 'test-results');
const started = Date.now();
const stamp = Date.now().toString(36);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`  ✓ ${message}`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url}`);
}

async function api(base, query, variables = {}, token) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function main() {
  if (!existsSync(serverBin)) throw new Error(`no server binary at ${serverBin}: run \`make build\``);
  if (!existsSync(join(webRoot, 'dist/index.html'))) throw new Error('no web-ui/dist: run `make web`');
  mkdirSync(results, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-web-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(serverBin, ['serve'], {
    env: {
      ...process.env,
      DEALDESK_DEMO: '1',
      DATABASE_URL: `sqlite://${join(dataDir, 'e2e.db')}?mode=rwc`,
      DEALDESK_BIND: `127.0.0.1:${port}`,
      DEALDESK_WEB_DIR: join(webRoot, 'dist'),
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    await waitFor(`${base}/healthz`);
    await run(browser, base);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`browser tests passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function run(browser, base) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`  page error: ${error.message} ${error.stack}`));
  const shot = (name) => page.screenshot({ path: join(results, `${name}-360.png`), fullPage: false });

  console.log('log in as a rep');
  await page.goto('/');
  await page.waitForURL('**/login');
  await shot('login');
  await page.getByTestId('login-email').locator('input').fill('rep1@demo.dealdesk.cn');
  await page.getByTestId('login-password').locator('input').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  check((await page.getByTestId('login-error').innerText()).includes('邮箱或密码不正确'), 'a wrong password says so');
  await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('today-due').waitFor();
  check(true, 'Today shows follow-ups due');
  await shot('today');

  console.log('create a customer and a deal');
  await page.getByTestId('nav-customers').click();
  await page.getByTestId('new-customer').click();
  const customerName = `杭州测试科技有限公司${stamp}`;
  await page.getByTestId('customer-name').locator('input').fill(customerName);
  await page.getByTestId('customer-submit').click();
  await page.getByTestId('customer-header').waitFor();
  check((await page.getByTestId('customer-header').innerText()).includes(customerName), 'the new customer page opens');
  await page.getByTestId('new-contact').click();
  await page.getByTestId('contact-name').locator('input').fill('王经理');
  await page.getByTestId('contact-title').locator('input').fill('信息中心主任');
  await page.getByTestId('contact-submit').click();
  await page.getByText('王经理').first().waitFor();
  check(true, 'the contact is listed on the customer page');
  await page.getByTestId('customer-new-deal').click();
  const dealTitle = `ERP 升级项目 ${stamp}`;
  await page.getByTestId('deal-title').locator('input').fill(dealTitle);
  await page.getByTestId('deal-amount').locator('input').fill('350000');
  await page.getByTestId('deal-submit').click();
  await page.getByTestId('deal-header').waitFor();
  const dealId = new URL(page.url()).pathname.split('/').pop();
  check((await page.getByTestId('deal-stage').innerText()).includes('线索'), 'the new deal is in 线索 (LEAD)');

  console.log('move to QUALIFICATION without the gate fields');
  await page.getByTestId('move-stage').click();
  await page.getByTestId('move-submit').click();
  await page.getByTestId('form-error').waitFor();
  const errors = page.locator('.adm-form-item-feedback-error');
  await errors.first().waitFor();
  const errorCount = await errors.count();
  check(errorCount === 3, `three field errors appear (got ${errorCount})`);
  for (const label of ['本次沟通核心诉求', '决策链角色', '下次跟进时间']) {
    const item = page.locator('.adm-form-item', { hasText: label });
    check((await item.locator('.adm-form-item-feedback-error').count()) === 1, `the error sits next to ${label}`);
  }
  await shot('move-stage-errors');

  console.log('fill them and see the timeline update');
  await page.getByTestId('gate-coreNeed').locator('textarea').first().fill('希望三个月内完成财务模块上线');
  await page.locator('.adm-form-item', { hasText: '决策链角色' }).getByText('决策者').click();
  const tomorrow = new Date(Date.now() + 26 * 3600_000);
  const pad = (n) => String(n).padStart(2, '0');
  await page.getByTestId('gate-nextFollowUpAt').fill(`${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T10:00`);
  await page.getByTestId('move-submit').click();
  await page.getByTestId('deal-header').waitFor();
  await page.getByTestId('timeline').getByText('线索 → 初筛').waitFor();
  check((await page.getByTestId('deal-stage').innerText()).includes('初筛'), 'the deal is now in 初筛 (QUALIFICATION)');
  check((await page.getByTestId('timeline').innerText()).includes('希望三个月内完成财务模块上线'), 'the timeline shows the stage change with its core need');
  check((await page.getByTestId('banner-refused').count()) === 0, 'the corrected move replaced the refused draft in the outbox');
  await shot('deal');

  console.log('offline: log a visit, come back online, synced exactly once');
  await page.getByTestId('log-activity').click();
  await page.getByTestId('log-text').waitFor();
  await context.setOffline(true);
  const visitText = `离线拜访：客户确认预算 50 万 ${stamp}`;
  await page.getByTestId('log-text').locator('textarea').first().fill(visitText);
  await shot('quick-log');
  await page.getByTestId('log-submit').click();
  await page.getByTestId('banner-waiting').waitFor();
  check((await page.getByTestId('banner-waiting').innerText()).includes('1 条待同步'), 'the visit is shown as waiting to sync');
  await page.getByTestId('banner-offline').waitFor();
  await page.getByTestId('deal-header').waitFor();
  check(true, 'offline, the deal page still shows what it last loaded');
  await shot('offline-waiting');
  await page.waitForTimeout(1500);
  await context.setOffline(false);
  await page.getByTestId('banner-waiting').waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByTestId('timeline').getByText(visitText).waitFor({ timeout: 10_000 });
  check(true, 'back online, the visit syncs and appears in the timeline');
  const { login } = await api(base, 'mutation { login(email: "rep1@demo.dealdesk.cn", password: "dealdesk-demo") { accessToken } }');
  const { deal } = await api(
    base,
    'query ($id: ID!) { deal(id: $id) { timeline(first: 100) { nodes { __typename ... on Activity { text kind } } } } }',
    { id: dealId },
    login.accessToken,
  );
  const copies = deal.timeline.nodes.filter((node) => node.__typename === 'Activity' && node.text === visitText);
  check(copies.length === 1 && copies[0].kind === 'VISIT', `the API has the visit exactly once (found ${copies.length})`);

  console.log('screenshots of the main screens (zh-CN)');
  const screens = [
    ['today', '/', 'today-due'],
    ['deals-list', '/deals', 'deals-list'],
    ['deals-board', '/deals?view=board', 'deals-board'],
    ['deal', `/deals/${dealId}`, 'timeline'],
    ['move-stage', `/deals/${dealId}/move?to=NEEDS_CONFIRMED`, 'move-submit'],
    ['quick-log', `/log?deal=${dealId}`, 'log-text'],
    ['customers', '/customers', 'new-customer'],
    ['outbox', '/outbox', null],
    ['settings', '/settings', 'language-switch'],
    ['pipeline', '/pipeline', 'pipeline-chart'],
  ];
  for (const [width, height] of [[360, 780], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    for (const [name, path, testId] of screens) {
      await page.goto(path);
      if (testId) await page.getByTestId(testId).first().waitFor();
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(results, `${name}-${width}.png`) });
    }
  }
  await page.setViewportSize({ width: 360, height: 780 });

  console.log('switch language');
  await page.goto('/settings');
  await page.getByTestId('language-switch').getByText('English').click();
  await page.getByTestId('nav-today').getByText('Today').waitFor();
  check(true, 'the navigation is in English');
  await page.getByTestId('nav-today').click();
  await page.getByText('Follow-ups due & overdue').waitFor();
  check(true, 'Today is in English');
  await shot('today-en');
  await page.goto(`/deals/${dealId}`);
  await page.getByTestId('timeline').waitFor();
  check((await page.getByTestId('move-stage').innerText()).includes('Move stage'), 'the deal page is in English');
  await shot('deal-en');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(results, 'deal-en-1280.png') });

  console.log('admin stage settings');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('logout').click();
  await page.waitForURL('**/login');
  check((await page.getByTestId('login-email').locator('input').inputValue()) === 'rep1@demo.dealdesk.cn', 'the login remembers the last email');
  await page.screenshot({ path: join(results, 'login-1280.png') });
  await page.getByTestId('login-email').locator('input').fill('admin@demo.dealdesk.cn');
  await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('today-due').waitFor();
  await page.goto('/settings/stages');
  await page.getByTestId('stage-QUALIFICATION').waitFor();
  await page.screenshot({ path: join(results, 'admin-stages-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: join(results, 'admin-stages-360.png') });
  await context.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
