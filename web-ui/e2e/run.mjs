// Browser tests: a real `dealdesk serve` on a temporary SQLite database and a
// free port, driven through Debian's Chromium with playwright-core. Walks the
// rep's daily loop, checks the offline outbox through the API, raises a stuck
// alert through the test clock and acknowledges it, and writes screenshots of
// every main screen at 360×780 and 1280×800 to test-results/.
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
      // advanceTestClock: the alert scans run when the test moves time on.
      DEALDESK_TEST_CLOCK: '1',
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

  console.log('a deal left in DEMO for 49 h raises a stuck alert');
  await page.goto(`/deals/${dealId}/move?to=DEMO`);
  await page.getByTestId('gate-coreNeed').locator('textarea').first().fill('客户要求现场演示财务与供应链模块');
  await page.locator('.adm-form-item', { hasText: '决策链角色' }).getByText('决策者').click();
  const later = new Date(Date.now() + 72 * 3600_000);
  await page.getByTestId('gate-nextFollowUpAt').fill(`${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T10:00`);
  await page.getByTestId('move-submit').click();
  await page.getByTestId('deal-header').waitFor();
  await page.getByTestId('timeline').getByText('初筛 → 方案演示').waitFor();
  check((await page.getByTestId('deal-stage').innerText()).includes('方案演示'), 'the deal is now in 方案演示 (DEMO)');
  const stuckFor = async () =>
    (
      await api(
        base,
        'query ($id: ID!) { alerts(filter: { subjectId: $id, kind: STAGE_STUCK }) { nodes { id status recipients { email } } } }',
        { id: dealId },
        login.accessToken,
      )
    ).alerts.nodes;
  check((await stuckFor()).length === 0, 'no stuck alert yet');
  await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
    body: JSON.stringify({ query: 'mutation { advanceTestClock(hours: 49) }' }),
  }).then(async (response) => {
    const body = await response.json();
    if (body.errors) throw new Error(`advanceTestClock: ${JSON.stringify(body.errors)}`);
  });
  const raised = await stuckFor();
  check(raised.length === 1 && raised[0].status === 'OPEN', `49 h later the API has one open stuck alert (found ${raised.length})`);
  const alertId = raised[0].id;
  const recipients = raised[0].recipients.map((user) => user.email);
  check(recipients.includes('rep1@demo.dealdesk.cn') && recipients.length >= 2, `it goes to the owner and the manager (${recipients.join(', ')})`);

  await page.goto('/');
  await page.reload();
  const todayAlert = page.getByTestId('today-alerts').locator(`[data-alert-id="${alertId}"]`);
  await todayAlert.getByTestId('alert-text').filter({ hasText: '方案演示' }).waitFor();
  const todayAlertText = await todayAlert.getByTestId('alert-text').innerText();
  check(todayAlertText.includes(dealTitle) && todayAlertText.includes('方案演示') && todayAlertText.includes('48 小时'), `Today shows the stuck alert: ${todayAlertText}`);
  const badge = await page.getByTestId('today-alerts-count').innerText();
  check(Number(badge) >= 1, `the alerts section has a count badge (${badge})`);
  await page.getByTestId('today-alerts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(results, 'today-alerts-360.png') });
  await todayAlert.getByTestId('alert-subject-link').click();
  await page.waitForURL(`**/deals/${dealId}`);
  await page.getByTestId('deal-header').waitFor();
  check(true, 'one tap on the alert opens its deal');

  console.log('acknowledge it on the Alerts screen');
  await page.goto('/');
  await page.getByTestId('today-all-alerts').click();
  await page.waitForURL('**/alerts');
  const listed = page.getByTestId('alerts-list').locator(`[data-alert-id="${alertId}"]`);
  await listed.waitFor();
  const createdOrder = await page.getByTestId('alerts-list').getByTestId('alert-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-alert-id')));
  const { alerts: apiOrder } = await api(base, 'query { alerts(filter: { status: OPEN }, first: 20) { nodes { id createdAt } } }', {}, login.accessToken);
  const times = apiOrder.nodes.map((node) => Date.parse(node.createdAt));
  check(times.every((time, i) => i === 0 || times[i - 1] >= time), 'the API lists alerts newest first');
  check(JSON.stringify(createdOrder) === JSON.stringify(apiOrder.nodes.map((node) => node.id)), 'the Alerts screen keeps that order');
  await page.screenshot({ path: join(results, 'alerts-360.png') });
  await listed.getByTestId('alert-acknowledge').click();
  await listed.waitFor({ state: 'detached', timeout: 10_000 });
  check(true, 'the acknowledged alert leaves the open list');
  const [afterAck] = (await stuckFor()).filter((alert) => alert.id === alertId);
  check(afterAck?.status === 'ACKNOWLEDGED', `the API has the alert ACKNOWLEDGED (got ${afterAck?.status})`);
  console.log('offline, an acknowledgement waits in the outbox');
  const next = page.getByTestId('alerts-list').getByTestId('alert-card').first();
  const nextId = await next.getAttribute('data-alert-id');
  await context.setOffline(true);
  await next.getByTestId('alert-acknowledge').click();
  await next.getByTestId('alert-pending').waitFor();
  await page.getByTestId('banner-waiting').waitFor();
  check(true, 'the alert says "waiting to sync" and the outbox banner shows');
  await context.setOffline(false);
  await page.getByTestId('banner-waiting').waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByTestId('alerts-list').locator(`[data-alert-id="${nextId}"]`).waitFor({ state: 'detached', timeout: 10_000 });
  const { alerts: nextAfter } = await api(base, 'query { alerts(filter: { status: ACKNOWLEDGED }) { nodes { id } } }', {}, login.accessToken);
  check(nextAfter.nodes.some((node) => node.id === nextId), 'back online, it reaches the server and leaves the open list');
  await page.getByText('全部', { exact: true }).first().click();
  await page.waitForURL('**/alerts?filter=all');
  await page.getByTestId('alerts-list').locator(`[data-alert-id="${alertId}"]`).getByText('已知悉').waitFor();
  check(true, 'under "all" it is shown as acknowledged');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/alerts');
  await page.getByTestId('alerts-list').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'alerts-1280.png') });
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
  await page.goto('/alerts?filter=all');
  const englishText = page.getByTestId('alerts-list').locator(`[data-alert-id="${alertId}"]`).getByTestId('alert-text');
  // The stage's name arrives with the stages query; until then the sentence names its key.
  await englishText.filter({ hasText: '方案演示' }).waitFor();
  const englishAlert = await englishText.innerText();
  check(englishAlert === `“${dealTitle}” has had no follow-up for over 48 h in 方案演示`, `the alert reads in English: ${englishAlert}`);
  await shot('alerts-en');
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

  console.log('admin alert rules');
  await page.goto('/settings');
  await page.getByTestId('language-switch').getByText('中文').click();
  await page.getByTestId('nav-today').getByText('今日').waitFor();
  await page.getByTestId('settings-alert-rules').click();
  const pingPong = page.getByTestId('rule-PING_PONG');
  await pingPong.waitFor();
  await pingPong.getByTestId('rule-PING_PONG-reassignments').locator('input').fill('1');
  await pingPong.getByTestId('rule-PING_PONG-windowDays').locator('input').fill('400');
  await pingPong.getByTestId('rule-PING_PONG-save').click();
  await pingPong.getByTestId('form-error').waitFor();
  const ruleError = (field) => pingPong.getByTestId(`rule-PING_PONG-${field}`).locator('.adm-form-item-feedback-error').innerText();
  check((await ruleError('reassignments')).includes('2 到 50'), 'the reassignments error sits next to its input');
  check((await ruleError('windowDays')).includes('1 到 365'), 'the window error sits next to its input');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(results, 'alert-rules-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await pingPong.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(results, 'alert-rules-360.png') });
  await pingPong.getByTestId('rule-PING_PONG-reassignments').locator('input').fill('4');
  await pingPong.getByTestId('rule-PING_PONG-windowDays').locator('input').fill('10');
  await pingPong.getByTestId('rule-PING_PONG-save').click();
  await pingPong.getByTestId('form-error').waitFor({ state: 'detached' });
  const { login: adminLogin } = await api(base, 'mutation { login(email: "admin@demo.dealdesk.cn", password: "dealdesk-demo") { accessToken } }');
  const { alertRules } = await api(base, 'query { alertRules { kind reassignments windowDays } }', {}, adminLogin.accessToken);
  const saved = alertRules.find((rule) => rule.kind === 'PING_PONG');
  check(saved.reassignments === 4 && saved.windowDays === 10, 'the corrected rule is saved (4 reassignments in 10 days)');
  await context.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
