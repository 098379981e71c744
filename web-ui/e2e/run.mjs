// Browser tests: a real `dealdesk serve` on a temporary SQLite database and a
// free port, driven through Debian's Chromium with playwright-core. Walks the
// rep's daily loop, checks the offline outbox through the API, raises a stuck
// alert through the test clock and acknowledges it, adds a webhook channel
// pointing at a receiver this script runs and follows its test message into
// the delivery log, opens a rep's funnel health page and a manager's team
// view, and writes screenshots of every main screen at 360×780 and 1280×800
// to test-results/. Then, in a fresh context: the manifest is installable and
// the service worker opens the app offline from a cold start. Last, because it
// moves the test clock weeks ahead: a customer turns YELLOW then RED through
// overdue instalments (its page shows the tier, its history and the
// receivables) and the collection forecast marks its open instalments likely
// late. Then an admin changes a risk-tier threshold (a bad value first: its
// error sits beside its input), and FINANCE opens the monthly collection
// report of a month with an overdue customer of its own industry.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
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

/** A webhook receiver on 127.0.0.1: records every request and answers 200. */
function startReceiver() {
  const requests = [];
  const server = createHttpServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
  });
  return new Promise((resolveReceiver, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolveReceiver({ server, requests, url: `http://127.0.0.1:${server.address().port}` }));
  });
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
      // The outbox dispatcher (and the scans) run every 0.2 s instead of every few seconds.
      DEALDESK_JOB_PERIOD_SECS: '0.2',
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
  const receiver = await startReceiver();
  try {
    await waitFor(`${base}/healthz`);
    await run(browser, base, receiver);
    await runOfflineColdStart(browser, base);
    await runRiskTiersAndForecast(browser, base);
    await runThresholdsAndCollectionReport(browser, base);
  } finally {
    receiver.server.close();
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`browser tests passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function run(browser, base, receiver) {
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
  // The error notice goes as soon as the save starts; the toast says the server took it.
  await page.locator('.adm-toast-main').filter({ hasText: '已保存' }).waitFor();
  check((await pingPong.getByTestId('form-error').count()) === 0, 'the corrected rule shows no error');
  const { login: adminLogin } = await api(base, 'mutation { login(email: "admin@demo.dealdesk.cn", password: "dealdesk-demo") { accessToken } }');
  const { alertRules } = await api(base, 'query { alertRules { kind reassignments windowDays } }', {}, adminLogin.accessToken);
  const saved = alertRules.find((rule) => rule.kind === 'PING_PONG');
  check(saved.reassignments === 4 && saved.windowDays === 10, 'the corrected rule is saved (4 reassignments in 10 days)');

  console.log('admin: add a webhook channel (field errors first)');
  await page.goto('/settings');
  await page.getByTestId('settings-channels').click();
  const addCard = page.getByTestId('channel-add');
  await addCard.waitFor();
  await addCard.getByTestId('channel-kind').getByText('Webhook', { exact: true }).click();
  await addCard.getByTestId('channel-secret').waitFor();
  const channelName = `回款系统 Webhook ${stamp}`;
  await addCard.getByTestId('channel-name').locator('input').fill(channelName);
  await addCard.getByTestId('channel-target').locator('input').fill(`${receiver.url}/dealdesk/hook?token=e2e-token-${stamp}`);
  await addCard.getByTestId('channel-secret').locator('input').fill('short');
  await addCard.getByTestId('channel-submit').click();
  await addCard.getByTestId('form-error').waitFor();
  const channelError = (field) => addCard.getByTestId(`channel-${field}`).locator('.adm-form-item-feedback-error');
  await channelError('secret').waitFor();
  check((await channelError('secret').innerText()).includes('至少 8 个字符'), 'a short secret is refused next to the secret input');
  check((await channelError('target').count()) === 0, 'and nothing is said next to the URL');
  await addCard.getByTestId('channel-secret').locator('input').fill('e2e-signing-secret');
  await addCard.getByTestId('channel-target').locator('input').fill('ftp://127.0.0.1/hook');
  await addCard.getByTestId('channel-submit').click();
  await channelError('target').waitFor();
  check((await channelError('target').innerText()).includes('http:// 或 https://'), 'an ftp URL is refused next to the URL input');
  check((await channelError('secret').count()) === 0, 'the secret error is gone');
  await addCard.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(results, 'channel-errors-360.png') });
  await addCard.getByTestId('channel-target').locator('input').fill(`${receiver.url}/dealdesk/hook?token=e2e-token-${stamp}`);
  // Subscribed to an event the run never raises, so only the test message reaches the receiver.
  await addCard.getByTestId('channel-event-alert.DATA_QUALITY').click();
  await addCard.getByTestId('channel-submit').click();
  const channelCard = page.getByTestId('channel-card').filter({ hasText: channelName });
  await channelCard.waitFor();
  check(true, 'the channel is listed');
  check((await page.getByTestId('banner-refused').count()) === 0, 'the accepted channel replaced the refused drafts in the outbox');
  const shownTarget = await channelCard.getByTestId('channel-target-shown').innerText();
  check(shownTarget.startsWith(`${receiver.url}/dealdesk/hook`) && !shownTarget.includes('e2e-token'), `the target is shown without its token (${shownTarget})`);
  check((await channelCard.innerText()).includes('已加签'), 'the channel says it signs its messages');
  await page.evaluate(() => window.scrollTo(0, 0));
  const noToast = () => page.locator('.adm-toast-mask').waitFor({ state: 'detached', timeout: 10_000 });
  await noToast();
  await page.screenshot({ path: join(results, 'channels-360.png') });

  console.log('send a test message and follow it into the delivery log');
  check(receiver.requests.length === 0, 'the receiver has had no request yet');
  await channelCard.getByTestId('channel-test').click();
  await page.getByText('测试消息已进入发送队列').waitFor();
  await channelCard.getByTestId('channel-log').click();
  await page.waitForURL((url) => url.pathname === '/settings/deliveries' && url.searchParams.has('channel'));
  const sent = page.getByTestId('deliveries-list').locator('[data-testid="delivery-card"][data-status="SENT"]');
  await sent.first().waitFor({ timeout: 20_000 });
  check((await page.getByTestId('deliveries-list').getByTestId('delivery-card').count()) === 1, 'the channel has one delivery, now SENT');
  check((await sent.first().getByTestId('delivery-status').innerText()).includes('已送达'), 'it reads 已送达');
  // The list refreshes while anything is pending; open the attempts once the card has settled.
  let attemptLog = sent.first().getByTestId('attempt-log');
  for (let tries = 0; tries < 5 && !(await attemptLog.isVisible()); tries += 1) {
    await sent.first().getByTestId('delivery-toggle').click();
    await attemptLog.waitFor({ timeout: 3_000 }).catch(() => {});
    attemptLog = sent.first().getByTestId('attempt-log');
  }
  const attempts = await attemptLog.innerText();
  check(attempts.includes('#1') && attempts.includes('送达'), `its attempt is listed with the outcome (${attempts.replace(/\s+/g, ' ')})`);
  await noToast();
  await page.screenshot({ path: join(results, 'deliveries-360.png') });
  await page.waitForTimeout(1000);
  check(receiver.requests.length === 1, `the receiver got exactly one request (got ${receiver.requests.length})`);
  const [hit] = receiver.requests;
  const hitBody = JSON.parse(hit.body);
  check(hit.method === 'POST' && hit.url.startsWith('/dealdesk/hook?token=e2e-token-'), 'it was POSTed to the configured URL with its token');
  check(hitBody.event === 'channel.test' && hit.headers['x-dealdesk-event'] === 'channel.test', 'it carries the channel.test event');
  check(Boolean(hit.headers['x-dealdesk-signature']) && hit.headers['x-dealdesk-id'] === hitBody.id, 'it is signed and carries its id as the idempotency key');
  await page.getByTestId('deliveries-filter').getByText('已放弃').click();
  await page.waitForURL((url) => url.searchParams.get('status') === 'DEAD');
  await page.getByTestId('deliveries-list').waitFor();
  await page.waitForTimeout(500);
  check((await page.getByTestId('deliveries-list').getByTestId('delivery-card').evaluateAll((cards) => cards.filter((card) => card.dataset.status !== 'DEAD').length)) === 0, 'filtered to DEAD, only dead messages are listed');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/settings/deliveries');
  await page.getByTestId('delivery-card').first().waitFor();
  await page.screenshot({ path: join(results, 'deliveries-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });

  console.log('notification preferences');
  await page.goto('/settings');
  await page.getByTestId('settings-notifications').click();
  const prefCard = page.getByTestId('pref-card').filter({ hasText: channelName });
  await prefCard.waitFor();
  await prefCard.getByText('数据质量').click();
  await prefCard.getByTestId('pref-save').click();
  await page.getByText('已保存').first().waitFor();
  const { notificationPreferences } = await api(base, 'query { notificationPreferences { channelId kinds } }', {}, adminLogin.accessToken);
  const channelId = await prefCard.getAttribute('data-channel-id');
  check(
    notificationPreferences.some((pref) => pref.channelId === channelId && pref.kinds.join() === 'DATA_QUALITY'),
    'the preference is saved (数据质量 through the webhook)',
  );
  await noToast();
  await page.screenshot({ path: join(results, 'notification-prefs-360.png') });

  const signInAs = async (email) => {
    await page.goto('/settings');
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByTestId('login-email').locator('input').fill(email);
    await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('today-due').waitFor();
  };

  console.log('a rep opens their funnel health from Today');
  await signInAs('rep1@demo.dealdesk.cn');
  await page.getByTestId('today-funnel').click();
  await page.waitForURL('**/funnel');
  await page.getByTestId('funnel-page').waitFor();
  await page.getByTestId('period-picker').getByText('近 30 天').click();
  await page.waitForURL((url) => url.searchParams.get('period') === '30d');
  await page.getByTestId('figure-stuckDeals').getByTestId('figure-value').waitFor();
  const me = (await api(base, 'query { me { id } }', {}, login.accessToken)).me;
  const to = new Date(Date.now() + 60_000);
  const from = new Date(to.getTime() - 30 * 24 * 3600_000);
  const { funnelHealth } = await api(
    base,
    'query ($id: ID!, $from: DateTime!, $to: DateTime!) { funnelHealth(userId: $id, from: $from, to: $to) { stuckDeals { value teamMedian } backwardMoves { value } } }',
    { id: me.id, from: from.toISOString(), to: to.toISOString() },
    login.accessToken,
  );
  const stuckShown = await page.getByTestId('figure-stuckDeals').getByTestId('figure-value').innerText();
  check(stuckShown === String(funnelHealth.stuckDeals.value) && funnelHealth.stuckDeals.value >= 1, `the page shows the API's stuck deals (${stuckShown})`);
  check((await page.getByTestId('figure-stuckDeals').getByTestId('figure-median').innerText()).startsWith('团队中位数'), 'beside the team median');
  check((await page.locator('.mini-chart canvas').count()) >= 6, 'the figures are drawn as charts');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'funnel-360.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(results, 'funnel-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto('/settings');
  await page.getByTestId('settings-funnel').click();
  await page.getByTestId('funnel-page').waitFor();
  check(true, 'it is reachable from 我的 too');

  console.log('the manager opens the team view');
  await signInAs('manager@demo.dealdesk.cn');
  await page.getByTestId('today-team').click();
  await page.waitForURL('**/team');
  await page.getByTestId('team-list').waitFor();
  const repNames = await page.getByTestId('team-rep-link').allInnerTexts();
  check(['李娜', '张伟', '刘洋'].every((name) => repNames.some((shown) => shown.includes(name))) && repNames.length === 3, `every rep of the team is listed (${repNames.join('、')})`);
  const li = page.getByTestId('team-rep').filter({ hasText: '李娜' });
  await li.getByTestId('team-rep-stuck').getByText(dealTitle).waitFor();
  check(true, "李娜's stuck deal is listed under her");
  await li.getByTestId('team-rep-figures').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'team-360.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'team-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await li.getByTestId('team-rep-link').click();
  await page.waitForURL('**/funnel/*');
  await page.getByText('李娜的漏斗健康度').waitFor();
  await page.getByTestId('figure-stuckDeals').getByTestId('figure-value').waitFor();
  check(true, "a tap opens 李娜's funnel page");

  try {
    await runTickets({ page, context, base, dealId, dealTitle, signInAs, adminToken: adminLogin.accessToken, repToken: login.accessToken });
    await runContracts({ page, base, signInAs, adminToken: adminLogin.accessToken });
  } catch (error) {
    await page.screenshot({ path: join(results, 'failure.png'), fullPage: true }).catch(() => undefined);
    throw error;
  }
  await context.close();
}

/** Sends a GraphQL request and returns the whole answer (data and errors), for checks that expect a refusal. */
async function apiRaw(base, query, variables, token) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/**
 * The collaboration center: a rep raises a tech assessment from the deal, a
 * TECH user (created here by the admin) finds it in their queue, starts and
 * delivers it, the rep rejects the delivery, and the ticket shows the rework
 * and its colour, in the browser and through the API; then the manager's
 * collaboration health dashboard and the admin's calendar (with the official
 * 2026 holiday file uploaded) and SLA settings.
 */
async function runTickets({ page, context, base, dealId, dealTitle, signInAs, adminToken, repToken }) {
  const ticketFields = 'id number kind status color remainingMinutes reworkCount department assignee { email } history { action note }';
  const techEmail = `tech-${stamp}@demo.dealdesk.cn`;
  await api(
    base,
    'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
    { input: { email: techEmail, name: '陈工', password: 'dealdesk-demo', role: 'TECH' } },
    adminToken,
  );
  const { login: techLogin } = await api(base, 'mutation ($email: String!) { login(email: $email, password: "dealdesk-demo") { accessToken } }', { email: techEmail });

  console.log('tickets: the rep raises a tech assessment from the deal');
  await signInAs('rep1@demo.dealdesk.cn');
  await page.goto(`/deals/${dealId}`);
  await page.getByTestId('raise-ticket').click();
  await page.waitForURL(`**/deals/${dealId}/tickets/new`);
  await page.getByTestId('ticket-kind').getByText('需求', { exact: true }).click();
  await page.getByTestId('ticket-requirement-type').waitFor();
  check(true, 'a requirement asks for its requirement type');
  await page.getByTestId('ticket-kind').getByText('技术评估', { exact: true }).click();
  await page.getByTestId('ticket-requirement-type').waitFor({ state: 'detached' });
  const ticketTitle = `私有化部署技术评估 ${stamp}`;
  await page.getByTestId('ticket-title').locator('input').fill(ticketTitle);
  await page.getByTestId('ticket-details-input').locator('textarea').first().fill('客户要求本地机房部署，需评估服务器配置与数据迁移方案');
  await page.getByTestId('ticket-submit').click();
  await page.waitForURL(/\/tickets\/[^/]+$/);
  await page.getByTestId('ticket-header').waitFor();
  const ticketId = new URL(page.url()).pathname.split('/').pop();
  const number = await page.getByTestId('ticket-header').getByTestId('ticket-number').innerText();
  check(/^TA-\d{6}$/.test(number), `the ticket is numbered (${number})`);
  check((await page.getByTestId('ticket-due').innerText()).includes('工作时间'), `its countdown is in working time (${await page.getByTestId('ticket-due').innerText()})`);
  check((await page.getByTestId('ticket-deal-link').innerText()) === dealTitle, 'it links to its deal');
  check((await page.getByTestId('ticket-action-deliver').count()) === 0 && (await page.getByTestId('ticket-action-start').count()) === 0, 'the requester is not offered start or deliver');
  const repDeliver = await apiRaw(base, 'mutation ($id: ID!) { deliverTicket(id: $id, note: "x") { id } }', { id: ticketId }, repToken);
  check(repDeliver.errors?.[0]?.extensions?.code === 'FORBIDDEN', `the API refuses the rep's delivery (${repDeliver.errors?.[0]?.extensions?.code})`);
  await page.goto(`/deals/${dealId}`);
  await page.getByTestId('deal-tickets').locator(`[data-ticket-id="${ticketId}"]`).waitFor();
  check(true, "the deal page lists the ticket");

  console.log('tickets: the TECH user finds it in their queue and delivers it');
  await signInAs(techEmail);
  await page.getByTestId('today-tickets').locator(`[data-ticket-id="${ticketId}"]`).waitFor();
  check(true, "Today's 我的工单 lists it");
  await page.getByTestId('nav-tickets').click();
  await page.waitForURL('**/tickets');
  const queued = page.getByTestId('tickets-board').locator(`[data-ticket-id="${ticketId}"]`);
  await queued.waitFor();
  const { ticket: fresh } = await api(base, `query ($id: ID!) { ticket(id: $id) { ${ticketFields} } }`, { id: ticketId }, techLogin.accessToken);
  check((await queued.getAttribute('data-color')) === fresh.color, `the queue shows its colour (${fresh.color}, ${fresh.remainingMinutes} working minutes left)`);
  check(fresh.department === 'TECH' && fresh.assignee === null, 'the API routed it to the TECH queue, unassigned');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'tickets-board-360.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId(`tickets-column-${fresh.color}`).locator(`[data-ticket-id="${ticketId}"]`).waitFor();
  check(true, `on a desktop it sits in the ${fresh.color} column`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'tickets-board-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await queued.click();
  await page.waitForURL(`**/tickets/${ticketId}`);
  await page.getByTestId('ticket-action-start').click();
  await page.getByTestId('ticket-status').filter({ hasText: '处理中' }).waitFor();
  check(true, 'started: 处理中');
  await page.getByTestId('ticket-action-deliver').click();
  await page.getByTestId('ticket-input-note').locator('textarea').first().fill('建议 3 台 16 核服务器，数据迁移分两批完成');
  await page.getByTestId('ticket-action-submit').click();
  await page.getByTestId('ticket-status').filter({ hasText: '已交付' }).waitFor();
  check((await page.getByTestId('ticket-due').innerText()).includes('计时暂停'), 'delivered: the clock is paused');
  check((await page.getByTestId('ticket-action-accept').count()) === 0 && (await page.getByTestId('ticket-action-deliver').count()) === 0, 'the assignee is not offered accept or deliver now');

  console.log('tickets: the rep rejects the delivery');
  await signInAs('rep1@demo.dealdesk.cn');
  await page.goto('/tickets?scope=requests');
  await page.getByTestId('tickets-board').locator(`[data-ticket-id="${ticketId}"]`).click();
  await page.waitForURL(`**/tickets/${ticketId}`);
  await page.getByTestId('ticket-action-reject').click();
  await page.getByTestId('ticket-action-submit').click();
  await page.getByTestId('ticket-error').waitFor();
  await page.getByTestId('ticket-input-reason').locator('.adm-form-item-feedback-error').waitFor();
  const reasonError = await page.getByTestId('ticket-input-reason').locator('.adm-form-item-feedback-error').innerText();
  check(reasonError === '请填写原因', `a rejection without a reason is refused next to the reason (${reasonError})`);
  await page.getByTestId('ticket-input-reason').locator('textarea').first().fill('缺少容灾方案，请补充双机房部署评估');
  await page.getByTestId('ticket-action-submit').click();
  await page.getByTestId('ticket-status').filter({ hasText: '处理中' }).waitFor();
  await page.getByTestId('ticket-rework').filter({ hasText: '1' }).waitFor();
  const history = page.getByTestId('ticket-history');
  await history.locator('[data-action="REJECTED"]').getByText('缺少容灾方案').waitFor();
  check(true, 'the ticket shows rework 1 and the REJECTED step with its reason');
  check((await page.getByTestId('banner-refused').count()) === 0, 'the corrected rejection replaced the refused draft in the outbox');
  const { ticket: after } = await api(base, `query ($id: ID!) { ticket(id: $id) { ${ticketFields} } }`, { id: ticketId }, repToken);
  const shownColor = await page.getByTestId('ticket-header').getAttribute('data-color');
  check(after.reworkCount === 1 && after.status === 'IN_PROGRESS', `the API has reworkCount 1, IN_PROGRESS (got ${after.reworkCount}, ${after.status})`);
  check(after.history.map((step) => step.action).join() === 'CREATED,STARTED,DELIVERED,REJECTED', `the API history is ${after.history.map((step) => step.action).join(' → ')}`);
  check(after.assignee?.email === techEmail, 'the TECH user became the assignee by starting it');
  check(shownColor === after.color && (await page.getByTestId('ticket-header').getByTestId('ticket-color').getAttribute('data-color')) === after.color, `the page shows the API's colour (${after.color})`);
  check((await page.getByTestId('ticket-action-accept').count()) === 0 && (await page.getByTestId('ticket-action-block').count()) === 1, 'back in progress, the requester may only block it');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('.adm-toast-mask').waitFor({ state: 'detached', timeout: 10_000 });
  await page.screenshot({ path: join(results, 'ticket-360.png') });
  await page.screenshot({ path: join(results, 'ticket-full-360.png'), fullPage: true });

  console.log('collaboration health (manager)');
  await signInAs('manager@demo.dealdesk.cn');
  // The server's test clock runs ahead of the browser (the stuck alert moved it): read the dashboard as of the server's now.
  const { testClock } = await api(base, 'query { testClock }', {}, adminToken);
  await context.clock.setFixedTime(new Date(Date.parse(testClock) + 60_000));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('today-collab').click();
  await page.waitForURL('**/collab-health');
  const techRow = page.getByTestId('collab-department-table').locator('[data-group="TECH"]');
  await techRow.waitFor();
  const to = new Date(Date.parse(testClock) + 60_000);
  to.setSeconds(0, 0);
  to.setMinutes(to.getMinutes() + 1);
  const from = new Date(to.getTime() - 30 * 24 * 3600_000);
  const { collaborationHealth } = await api(
    base,
    'query ($from: DateTime!, $to: DateTime!) { collaborationHealth(from: $from, to: $to, groupBy: DEPARTMENT) { group tickets deliveredTickets reworkedTickets reworkRate } }',
    { from: from.toISOString(), to: to.toISOString() },
    adminToken,
  );
  const tech = collaborationHealth.find((row) => row.group === 'TECH');
  check(tech && tech.reworkedTickets >= 1 && tech.deliveredTickets >= 1, `the API counts the rework for TECH (${tech?.reworkedTickets}/${tech?.deliveredTickets})`);
  const shownRework = await techRow.getByTestId('collab-rework').innerText();
  check(shownRework.includes(`${tech.reworkedTickets}/${tech.deliveredTickets}`), `the dashboard shows it (${shownRework.replace(/\s+/g, ' ')})`);
  await page.getByTestId('collab-kind-table').locator('[data-group="TECH_ASSESSMENT"]').waitFor();
  check(true, 'and a row per kind (技术评估)');
  await page.locator('[data-testid="collab-department-rates-chart"] canvas').waitFor();
  check((await page.locator('.collab-chart-card canvas').count()) >= 4, 'with charts per department and per kind');
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(results, 'collab-health-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'collab-health-360.png'), fullPage: true });

  console.log('admin: business calendar with the official holiday file, SLA policies');
  await signInAs('admin@demo.dealdesk.cn');
  await page.goto('/settings');
  await page.getByTestId('settings-calendar').click();
  await page.getByTestId('calendar-form').waitFor();
  await page.getByTestId('holiday-file').setInputFiles(resolve(webRoot, 'e2e/fixtures/cn-holidays-2026.csv'));
  await page.getByTestId('holiday-import-submit').click();
  await page.getByText('节假日安排已导入').waitFor();
  const { businessCalendar } = await api(base, 'query { businessCalendar { timeZone holidays extraWorkdays } }', {}, adminToken);
  check(businessCalendar.holidays.includes('2026-10-01') && businessCalendar.extraWorkdays.includes('2026-01-04'), `the API calendar has the 2026 holidays and make-up days (${businessCalendar.holidays.length} / ${businessCalendar.extraWorkdays.length})`);
  const shownHolidays = await page.getByTestId('date-list-holidays').innerText();
  check(shownHolidays.includes('10-01') && shownHolidays.includes('2026'), 'the form lists them');
  await page.locator('.adm-toast-mask').waitFor({ state: 'detached', timeout: 10_000 });
  await page.screenshot({ path: join(results, 'calendar-settings-360.png') });
  await page.screenshot({ path: join(results, 'calendar-settings-full-360.png'), fullPage: true });
  await page.getByTestId('calendar-save').click();
  await page.getByText('已保存').first().waitFor();
  const { businessCalendar: saved } = await api(base, 'query { businessCalendar { holidays extraWorkdays } }', {}, adminToken);
  check(saved.holidays.length === businessCalendar.holidays.length, 'saving the form keeps them');
  await page.goto('/settings/sla');
  await page.getByTestId('sla-TECH_ASSESSMENT').waitFor();
  await page.screenshot({ path: join(results, 'sla-settings-360.png') });
}

/** A tiny PDF, enough for the server's content sniffing. */
function tinyPdf(label) {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

/**
 * Receivables and credit risk: a rep draws up a contract on a deal in
 * NEGOTIATION, uploads three months of statements from the "camera", runs the
 * check (the registry is unknown without a provider, so LEGAL must confirm),
 * LEGAL confirms, the check passes, the rep submits, FINANCE approves and sees
 * the receivables, records a payment on the finance list, opens the risk
 * center and imports payments (a dry run with a bad row, then a clean apply).
 */
async function runContracts({ page, base, signInAs, adminToken }) {
  const legalEmail = `legal-${stamp}@demo.dealdesk.cn`;
  const financeEmail = `finance-${stamp}@demo.dealdesk.cn`;
  for (const [email, name, role] of [[legalEmail, '周律师', 'LEGAL'], [financeEmail, '钱会计', 'FINANCE']]) {
    await api(base, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email, name, password: 'dealdesk-demo', role } }, adminToken);
  }
  const token = async (email) => (await api(base, 'mutation ($email: String!) { login(email: $email, password: "dealdesk-demo") { accessToken } }', { email })).login.accessToken;
  // Goes to a screen as `email`; signs in again when the app lands on the login page instead.
  let signedInAs = null;
  const openAs = async (email, path) => {
    if (signedInAs !== email) {
      await signInAs(email);
      signedInAs = email;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.goto(path);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      if (!new URL(page.url()).pathname.startsWith('/login')) return;
      console.log(`  (signed out on ${path}: signing in again as ${email})`);
      await page.getByTestId('login-email').locator('input').fill(email);
      await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    }
    throw new Error(`could not open ${path} as ${email}`);
  };
  const repToken = await token('rep1@demo.dealdesk.cn');
  const financeToken = await token(financeEmail);

  console.log('contracts: a demo deal goes to NEGOTIATION (API)');
  const { deals } = await api(base, 'query { deals(first: 100, filter: { stage: "QUOTE" }) { nodes { id title contact { id } customer { id name creditCode } } } }', {}, repToken);
  const deal = deals.nodes.find((node) => node.customer?.creditCode);
  check(!!deal, `a QUOTE demo deal with a credit code (${deal?.title})`);
  const next = new Date(Date.now() + 30 * 86_400_000).toISOString();
  await api(
    base,
    'mutation ($input: MoveDealStageInput!) { moveDealStage(input: $input) { id stage } }',
    { input: { dealId: deal.id, stage: 'NEGOTIATION', coreNeed: '确认付款条款', decisionRole: 'DECISION_MAKER', contactId: deal.contact?.id, nextFollowUpAt: next } },
    repToken,
  );

  console.log('contracts: the rep draws up a contract with three instalments');
  await openAs('rep1@demo.dealdesk.cn', `/deals/${deal.id}`);
  await page.getByTestId('new-contract').click();
  await page.getByTestId('contract-amount').locator('input').waitFor();
  await page.getByTestId('instalment-add').click();
  await page.getByTestId('instalment-add').click();
  await page.getByTestId('instalment-amount').first().locator('input').fill('1');
  check((await page.getByTestId('instalment-sum').getAttribute('data-matches')) === 'false', 'a plan that does not add up is refused');
  check(await page.getByTestId('contract-submit').isDisabled(), 'the create button waits for a matching plan');
  await page.getByTestId('instalments-split').click();
  check((await page.getByTestId('instalment-rows').getByTestId('instalment-row').count()) === 3, 'three instalment rows');
  check((await page.getByTestId('instalment-sum').getAttribute('data-matches')) === 'true', 'the running sum matches the amount');
  await page.getByTestId('contract-submit').click();
  await page.waitForURL((url) => /^\/contracts\/[^/]+$/.test(url.pathname));
  const contractId = new URL(page.url()).pathname.split('/').pop();
  await page.getByTestId('contract-status').waitFor();
  check((await page.getByTestId('contract-status').innerText()).includes('草稿'), 'the contract page opens as a draft');

  console.log('contracts: the check lists the missing statements, then three are uploaded');
  await page.getByTestId('contract-check').click();
  await page.getByTestId('check-result').waitFor();
  const months = (await page.getByTestId('check-reason').evaluateAll((items) => items.map((item) => item.getAttribute('data-month')))).filter(Boolean);
  check(months.length === 3, `the check asks for three months of statements (${months.join(', ')})`);
  for (const [index, month] of months.entries()) {
    await page.getByTestId('doc-month').fill(month);
    await page.getByTestId('doc-file').setInputFiles({ name: `statement-${month}.pdf`, mimeType: 'application/pdf', buffer: tinyPdf(month) });
    await page.getByTestId('documents-section').getByTestId('document').nth(index).waitFor();
  }
  check((await page.getByTestId('documents-section').getByTestId('document').count()) === 3, 'three statements are listed');
  check((await page.getByTestId('doc-file').getAttribute('capture')) === 'environment', 'the file input opens the back camera on a phone');
  await page.getByTestId('contract-check').click();
  await page.locator(`[data-testid="check-reason"][data-month="${months[0]}"]`).waitFor({ state: 'detached' });
  await page.getByTestId('check-result').getByText('工商状态未知，需法务确认').waitFor();
  check((await page.getByTestId('check-result').getAttribute('data-passed')) === 'false', 'the check is not passed while the registry is unknown');
  check((await page.getByTestId('check-reason').count()) === 1, 'only the registry reason is left');
  await page.locator('.adm-toast-mask').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.screenshot({ path: join(results, 'contract-360.png'), fullPage: false });

  console.log('contracts: LEGAL confirms');
  await openAs(legalEmail, `/contracts/${contractId}`);
  await page.getByTestId('contract-legal').click();
  await page.getByTestId('contract-legal-confirmed').waitFor();
  check(true, 'the confirmation shows on the contract');

  console.log('contracts: the rep re-runs the check (passes) and submits');
  await openAs('rep1@demo.dealdesk.cn', `/contracts/${contractId}`);
  await page.getByTestId('contract-check').click();
  await page.locator('[data-testid="check-result"][data-passed="true"]').waitFor();
  check(true, 'the check passes');
  await page.getByTestId('contract-submit').click();
  await page.locator('[data-testid="contract-header"][data-status="SUBMITTED"]').waitFor();
  check(true, 'the contract is submitted');

  console.log('contracts: FINANCE approves and sees the receivables');
  await openAs(financeEmail, `/contracts/${contractId}`);
  await page.getByTestId('contract-approve').click();
  await page.locator('[data-testid="contract-header"][data-status="APPROVED"]').waitFor();
  await page.getByTestId('contract-receivables').getByTestId('receivable').nth(2).waitFor();
  check((await page.getByTestId('contract-receivables').getByTestId('receivable').count()) === 3, 'three receivables after approval');
  const { contract } = await api(base, 'query ($id: ID!) { contract(id: $id) { receivables { id outstanding { amount } } } }', { id: contractId }, financeToken);
  const [first, second] = contract.receivables;

  console.log('receivables: FINANCE records a payment on the finance list');
  await openAs(financeEmail, '/finance/receivables');
  const row = page.locator(`[data-testid="receivable-row"]:has([data-id="${first.id}"])`);
  await row.waitFor();
  await row.getByTestId('record-payment').click();
  await page.getByTestId('payment-amount').locator('input').fill('1000');
  await page.getByTestId('payment-submit').click();
  await row.getByTestId('receivable-outstanding').getByText(/1,000|1000/).waitFor({ state: 'detached' }).catch(() => undefined);
  const paidNow = async () => (await api(base, 'query ($id: ID!) { contract(id: $id) { receivables { id paid { amount } } } }', { id: contractId }, financeToken)).contract.receivables.find((r) => r.id === first.id).paid.amount;
  for (let i = 0; i < 50 && Number(await paidNow()) !== 1000; i++) await new Promise((r) => setTimeout(r, 100));
  check(Number(await paidNow()) === 1000, 'the payment is recorded once (1000)');
  await page.locator('.adm-toast-mask').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(results, 'receivables-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });

  console.log('risk center');
  const { customers } = await api(base, 'query { customers(first: 20) { nodes { id name } } }', {}, adminToken);
  const flagged = customers.nodes.find((node) => node.id !== deal.customer.id);
  await api(base, 'mutation ($id: ID!) { flagLitigation(customerId: $id, note: "合同纠纷，已提起仲裁") }', { id: flagged.id }, adminToken);
  await openAs(financeEmail, '/risk');
  await page.getByTestId('risk-entry').first().waitFor();
  check((await page.locator(`[data-testid="risk-entry"][data-tier="RED"]`).count()) >= 1, `the risk center lists ${flagged.name} as RED`);
  await page.screenshot({ path: join(results, 'risk-center-360.png') });

  console.log('payment import: a dry run reports the bad row, a clean file is applied');
  await openAs(financeEmail, '/finance/import');
  const paidAt = new Date().toISOString().slice(0, 10);
  const bad = `receivableId,amount,currency,paidAt\n${second.id},100,CNY,${paidAt}\nnot-a-receivable,50,CNY,${paidAt}\n${second.id},abc,CNY,${paidAt}\n`;
  await page.getByTestId('import-file').setInputFiles({ name: 'payments.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByTestId('import-report').waitFor();
  const lines = await page.getByTestId('import-error').evaluateAll((items) => items.map((item) => item.getAttribute('data-line')));
  check(lines.includes('3') && lines.includes('4'), `the dry run names the bad lines (${lines.join(', ')})`);
  const problem = async (line) => {
    const row = page.locator(`[data-testid="import-error"][data-line="${line}"]`);
    return { code: await row.getAttribute('data-code'), text: await row.getByTestId('import-error-message').innerText() };
  };
  const unknown = await problem(3);
  check(unknown.code === 'RECEIVABLE_NOT_FOUND' && unknown.text === '本组织没有应收“not-a-receivable”', `line 3 is worded in Chinese from its code (${unknown.code}: ${unknown.text})`);
  const notAmount = await problem(4);
  check(notAmount.code === 'AMOUNT_INVALID' && notAmount.text.startsWith('金额“abc”无效'), `line 4 too (${notAmount.code}: ${notAmount.text})`);
  check((await page.getByTestId('import-apply').count()) === 0, 'no "apply" while a row is bad');
  await page.screenshot({ path: join(results, 'import-report-360.png') });
  await page.getByTestId('import-file').setInputFiles({ name: 'payments-ok.csv', mimeType: 'text/csv', buffer: Buffer.from(`receivableId,amount,currency,paidAt\n${second.id},100,CNY,${paidAt}\n`) });
  await page.getByTestId('import-apply').click();
  await page.getByTestId('import-summary').getByText('已登记 1 笔').waitFor();
  const { contract: after } = await api(base, 'query ($id: ID!) { contract(id: $id) { receivables { id paid { amount } } } }', { id: contractId }, financeToken);
  check(Number(after.receivables.find((r) => r.id === second.id).paid.amount) === 100, 'the import recorded the payment');
}

/**
 * Installable and offline from a cold start, in a fresh browser context (no
 * service worker, no cache): the manifest lists PNG icons at 192 and 512 that
 * answer as images; after one online visit the service worker controls the
 * page and holds every file it lists; offline, a reload and a new tab on a
 * client route both open the app from that cache (not Chromium's offline
 * page); a visit logged offline waits in IndexedDB across an offline reload;
 * back online it reaches the server exactly once.
 */
async function runOfflineColdStart(browser, base) {
  console.log('installable: the web manifest and its icons');
  const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`  page error: ${error.message} ${error.stack}`));
  try {
    await page.goto('/');
    await page.waitForURL('**/login');
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(manifestHref, base);
    const manifestResponse = await fetch(manifestUrl);
    const manifestType = manifestResponse.headers.get('content-type') ?? '';
    check(manifestResponse.status === 200 && /^application\/(manifest\+)?json/.test(manifestType), `the manifest link resolves (${manifestUrl.pathname}, ${manifestType})`);
    const manifest = await manifestResponse.json();
    check(
      Boolean(manifest.name && manifest.short_name && manifest.start_url && manifest.theme_color) && manifest.display === 'standalone',
      `it names the app (${manifest.short_name}), its start URL (${manifest.start_url}), display standalone and a theme colour (${manifest.theme_color})`,
    );
    const pngIcon = (size) => manifest.icons.find((icon) => icon.type === 'image/png' && icon.sizes.split(/\s+/).includes(`${size}x${size}`) && (icon.purpose ?? 'any').split(/\s+/).includes('any'));
    for (const size of [192, 512]) {
      const icon = pngIcon(size);
      check(Boolean(icon), `it lists a ${size}×${size} PNG icon`);
      const response = await fetch(new URL(icon.src, manifestUrl));
      const type = response.headers.get('content-type') ?? '';
      const bytes = Buffer.from(await response.arrayBuffer());
      const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const [width, height] = isPng ? [bytes.readUInt32BE(16), bytes.readUInt32BE(20)] : [0, 0];
      check(response.status === 200 && type.startsWith('image/') && isPng && width === size && height === size, `${icon.src} answers 200 as ${type}, a ${width}×${height} PNG`);
    }

    console.log('offline from a cold start: the service worker caches the app shell');
    await page.getByTestId('login-email').locator('input').fill('rep1@demo.dealdesk.cn');
    await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('today-due').waitFor();
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      // `ready` resolves once a worker is active, which may still be "activating".
      const active = registration.active;
      if (active && active.state !== 'activated') {
        await new Promise((resolve) => {
          const done = () => active.state === 'activated' && resolve();
          active.addEventListener('statechange', done);
          done();
        });
      }
      return { state: registration.active?.state, script: registration.active?.scriptURL, scope: registration.scope };
    });
    check(worker.state === 'activated' && worker.script === `${base}/sw.js` && worker.scope === `${base}/`, `the service worker is activated (${worker.script}, scope ${worker.scope})`);
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 10_000 });
    check(true, 'and controls the page');
    const shell = JSON.parse(/const SHELL = (\[.*?\]);/.exec(await (await fetch(`${base}/sw.js`)).text())[1]);
    const cached = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith('dealdesk-shell-'));
      const requests = names.length === 1 ? await (await caches.open(names[0])).keys() : [];
      return { names, paths: requests.map((request) => new URL(request.url).pathname) };
    });
    const missing = shell.filter((path) => !cached.paths.includes(path));
    check(cached.names.length === 1 && missing.length === 0, `its cache ${cached.names[0]} holds all ${shell.length} files it lists (missing: ${missing.join(', ') || 'none'})`);
    check(shell.includes('/') && shell.includes('/manifest.webmanifest') && shell.includes('/icon-192.png') && shell.some((path) => /^\/assets\/DealsPage-.*\.js$/.test(path)), 'they include the page, the manifest, the icons and the lazy screens');

    const { login } = await api(base, 'mutation { login(email: "rep1@demo.dealdesk.cn", password: "dealdesk-demo") { accessToken } }');
    const me = (await api(base, 'query { me { id } }', {}, login.accessToken)).me;
    const { deals } = await api(base, 'query ($owner: ID!) { deals(filter: { ownerId: $owner }, first: 1) { nodes { id title customer { id name } } } }', { owner: me.id }, login.accessToken);
    const [target] = deals.nodes;
    check(Boolean(target?.customer), `the rep has a deal to log against (${target?.title})`);
    const visitsOf = async (text) => {
      const { deal } = await api(base, 'query ($id: ID!) { deal(id: $id) { timeline(first: 100) { nodes { __typename ... on Activity { text kind } } } } }', { id: target.id }, login.accessToken);
      return deal.timeline.nodes.filter((node) => node.__typename === 'Activity' && node.text === text);
    };

    await context.setOffline(true);
    const reachable = await page.evaluate(() => fetch('/healthz', { cache: 'no-store' }).then(() => true, () => false));
    check(!reachable, 'the browser is offline (the server is out of reach)');
    const reloaded = await page.reload();
    check(reloaded?.fromServiceWorker() === true, 'offline, the reload is answered by the service worker');
    await page.getByTestId('nav-today').waitFor();
    await page.getByTestId('banner-offline').waitFor();
    check((await page.title()) === 'Dealdesk 销售指挥台' && (await page.getByTestId('nav-today').innerText()).includes('今日'), 'the app shell renders (今日 and the offline notice), not the browser\'s offline page');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'offline-cold-start-360.png') });

    const tab = await context.newPage();
    tab.on('pageerror', (error) => console.log(`  page error (new tab): ${error.message} ${error.stack}`));
    const opened = await tab.goto('/deals');
    check(opened?.fromServiceWorker() === true, 'offline, a new tab on /deals is answered by the service worker');
    await tab.getByTestId('nav-deals').waitFor();
    await tab.getByTestId('banner-offline').waitFor();
    check((await tab.getByTestId('nav-deals').getAttribute('class'))?.includes('active') && (await tab.title()) === 'Dealdesk 销售指挥台', 'it opens the Deals screen of the app shell, offline');
    await tab.screenshot({ path: join(results, 'offline-cold-start-deals-360.png') });

    console.log('offline from a cold start: a visit waits in IndexedDB across a reload');
    const visitText = `冷启动离线拜访：客户确认下周签约 ${stamp}`;
    const logUrl = `/log?${new URLSearchParams({ customer: target.customer.id, customerName: target.customer.name, deal: target.id, dealTitle: target.title })}`;
    await page.goto(logUrl);
    await page.getByTestId('log-text').waitFor();
    await page.getByTestId('log-text').locator('textarea').first().fill(visitText);
    await page.getByTestId('log-submit').click();
    await page.getByTestId('banner-waiting').waitFor();
    check((await page.getByTestId('banner-waiting').innerText()).includes('1 条待同步'), 'the visit logged offline is shown as waiting to sync');
    await page.reload();
    await page.getByTestId('banner-waiting').waitFor();
    check((await page.getByTestId('banner-waiting').innerText()).includes('1 条待同步'), 'an offline reload still shows it waiting to sync');
    await page.goto('/outbox');
    await page.getByTestId('outbox-entry').first().waitFor();
    check((await page.getByTestId('outbox-entry').count()) === 1, 'the outbox screen lists it, from IndexedDB');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'offline-cold-start-outbox-360.png') });
    check((await visitsOf(visitText)).length === 0, 'the server has not seen it yet');

    console.log('offline from a cold start: back online it syncs exactly once');
    await context.setOffline(false);
    await page.getByTestId('banner-waiting').waitFor({ state: 'detached', timeout: 20_000 });
    await tab.getByTestId('banner-waiting').waitFor({ state: 'detached', timeout: 20_000 });
    check(true, 'the waiting notice clears in both tabs');
    await page.waitForTimeout(1500);
    const copies = await visitsOf(visitText);
    check(copies.length === 1 && copies[0].kind === 'VISIT', `the API has the visit exactly once (found ${copies.length})`);
  } catch (error) {
    await page.screenshot({ path: join(results, 'offline-cold-start-failure.png'), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

/** A valid unified social credit code (GB 32100 check character, as crates/domain credit_code.rs computes it). */
function creditCode(n) {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91330200MA${String(n % 10_000_000).padStart(7, '0')}`;
  const sum = [...first17].reduce((total, char, index) => total + charset.indexOf(char) * weights[index], 0);
  return first17 + charset[(31 - (sum % 31)) % 31];
}

/** `YYYY-MM-DD` plus `days`, in UTC (the server's business dates). */
/** The day in Asia/Shanghai (the demo orgs' time zone) at an instant: due and payment dates are the org's days. */
function shanghaiDay(instant) {
  return new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Attaches a bank statement for `month` through the GraphQL multipart request. */
async function attachStatement(base, token, contractId, month) {
  const body = new FormData();
  const query = 'mutation ($contractId: ID!, $periodMonth: String, $file: Upload!) { attachDocument(contractId: $contractId, kind: BANK_STATEMENT, periodMonth: $periodMonth, file: $file) { id } }';
  body.append('operations', JSON.stringify({ query, variables: { contractId, periodMonth: month, file: null } }));
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', new Blob([tinyPdf(month)], { type: 'application/pdf' }), `statement-${month}.pdf`);
  const answer = await (await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body })).json();
  if (answer.errors) throw new Error(`attachDocument: ${JSON.stringify(answer.errors)}`);
}

/**
 * Risk tiers and the collection forecast, through the test clock. A customer
 * of its own industry gets an approved contract of three 10 000 CNY
 * instalments (set up through the API); 9 500 of the first is paid. Four days
 * after its due date the customer is YELLOW, seventeen days after it RED
 * (cumulative overdue days over 15): the rep's customer page shows the badge,
 * the tier history with its reasons in Chinese and the overdue receivable.
 * The rest is then paid 17 days late, which makes that industry's customers
 * likely to pay late: FINANCE's forecast marks the two open instalments
 * "likely late" and nothing of other industries, as the API says, and the
 * "only likely late" filter keeps just those.
 */
async function runRiskTiersAndForecast(browser, base) {
  const token = async (email) => (await api(base, 'mutation ($email: String!) { login(email: $email, password: "dealdesk-demo") { accessToken } }', { email })).login.accessToken;
  const adminToken = await token('admin@demo.dealdesk.cn');
  const repToken = await token('rep1@demo.dealdesk.cn');
  const financeEmail = `finance-risk-${stamp}@demo.dealdesk.cn`;
  const legalEmail = `legal-risk-${stamp}@demo.dealdesk.cn`;
  for (const [email, name, role] of [[financeEmail, '孙会计', 'FINANCE'], [legalEmail, '吴律师', 'LEGAL']]) {
    await api(base, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email, name, password: 'dealdesk-demo', role } }, adminToken);
  }
  const financeToken = await token(financeEmail);
  const legalToken = await token(legalEmail);
  const serverToday = async () => shanghaiDay((await api(base, 'query { testClock }', {}, adminToken)).testClock);

  console.log('risk tiers: a customer of its own industry with an approved contract of three instalments (API)');
  const industry = `精密模具${stamp}`;
  const customerName = `宁波恒远精密模具有限公司${stamp}`;
  const { createCustomer: customer } = await api(
    base,
    'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
    { input: { name: customerName, creditCode: creditCode(parseInt(stamp, 36)), industry, region: '浙江宁波' } },
    repToken,
  );
  const { createDeal: deal } = await api(base, 'mutation ($input: CreateDealInput!) { createDeal(input: $input) { id } }', { input: { title: `模具产线 MES 项目 ${stamp}`, customerId: customer.id, amount: { amount: '30000', currency: 'CNY' } } }, repToken);
  let today = await serverToday();
  await api(
    base,
    'mutation ($input: MoveDealStageInput!) { moveDealStage(input: $input) { id } }',
    { input: { dealId: deal.id, stage: 'NEGOTIATION', coreNeed: '确认分期付款条款', decisionRole: 'DECISION_MAKER', nextFollowUpAt: `${addDays(today, 30)}T02:00:00Z` } },
    repToken,
  );
  const dueDates = [10, 40, 70].map((days) => addDays(today, days));
  const { createContract: contract } = await api(
    base,
    'mutation ($input: CreateContractInput!) { createContract(input: $input) { id } }',
    { input: { dealId: deal.id, amount: { amount: '30000', currency: 'CNY' }, paymentTermsDays: 30, instalments: dueDates.map((dueDate) => ({ dueDate, amount: { amount: '10000', currency: 'CNY' } })) } },
    repToken,
  );
  for (const back of [1, 2, 3]) {
    const first = new Date(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`));
    first.setUTCMonth(first.getUTCMonth() - back);
    await attachStatement(base, repToken, contract.id, first.toISOString().slice(0, 7));
  }
  const runCheck = async () => (await api(base, 'mutation ($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }', { id: contract.id }, repToken)).runPaymentCheck;
  const firstCheck = await runCheck();
  check(!firstCheck.passed && firstCheck.reasons.length === 1, `with three statements only the registry is left to LEGAL (${firstCheck.reasons.join('; ')})`);
  await api(base, 'mutation ($id: ID!) { confirmContractLegal(id: $id) { id } }', { id: contract.id }, legalToken);
  check((await runCheck()).passed, 'after LEGAL confirms, the check passes');
  await api(base, 'mutation ($id: ID!) { submitContract(id: $id) { id } }', { id: contract.id }, repToken);
  await api(base, 'mutation ($id: ID!) { approveContract(id: $id) { id } }', { id: contract.id }, financeToken);
  const receivablesOf = async () => (await api(base, 'query ($id: ID!) { contract(id: $id) { receivables { id dueDate daysOverdue outstanding { amount } } } }', { id: contract.id }, financeToken)).contract.receivables;
  const [first, second, third] = await receivablesOf();
  check(first && second && third && first.dueDate === dueDates[0], `approved: three receivables, the first due ${first?.dueDate}`);
  const pay = (receivableId, amount, paidAt) =>
    api(base, 'mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }', { input: { receivableId, amount: { amount, currency: 'CNY' }, paidAt } }, financeToken);
  await pay(first.id, '9500', today);
  const tierOf = async () => (await api(base, 'query ($id: ID!) { customer(id: $id) { riskTier riskHistory { from to reasons } } }', { id: customer.id }, repToken)).customer;
  check((await tierOf()).riskTier === 'BLUE', 'with nothing overdue the customer is BLUE');

  // One browser context per person, each signed in through the login screen.
  let context = null;
  let page = null;
  const signIn = async (email) => {
    await context?.close();
    context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (error) => console.log(`  page error: ${error.message} ${error.stack}`));
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByTestId('login-email').locator('input').fill(email);
    await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('today-due').waitFor();
  };
  const riskSection = () => page.getByTestId('customer-risk');
  const openCustomer = async (tier) => {
    await page.goto(`/customers/${customer.id}`);
    await riskSection().locator(`[data-testid="tier-badge"][data-tier="${tier}"]`).waitFor();
    await riskSection().getByTestId('customer-receivables').getByTestId('receivable').nth(2).waitFor();
  };
  const historyShown = async () =>
    riskSection().locator('[data-testid="risk-history"] > li').evaluateAll((items) =>
      items.map((item) => ({
        from: item.querySelector('[data-testid="risk-from"]')?.getAttribute('data-tier'),
        to: item.querySelector('[data-testid="risk-to"]')?.getAttribute('data-tier'),
        text: item.textContent,
      })),
    );

  try {
    console.log('risk tiers: four days after the first due date the customer is YELLOW');
    await api(base, 'mutation ($at: DateTime!) { setTestClock(at: $at) }', { at: `${addDays(dueDates[0], 4)}T04:00:00Z` }, adminToken);
    const yellow = await tierOf();
    check(yellow.riskTier === 'YELLOW', `the API has YELLOW (${yellow.riskHistory.at(-1)?.reasons.join('; ')})`);
    await signIn('rep1@demo.dealdesk.cn');
    await openCustomer('YELLOW');
    check((await riskSection().getByTestId('tier-badge').first().innerText()) === '黄', 'the customer page shows the 黄 badge');
    let history = await historyShown();
    check(history.length === 1 && history[0].from === 'BLUE' && history[0].to === 'YELLOW', `its tier history shows 蓝 → 黄 (${history.map((step) => `${step.from}→${step.to}`).join(', ')})`);
    check(history[0].text.includes('1 笔应收逾期，最长 4 天'), `with the overdue reason in Chinese (${history[0].text})`);
    check(!/[a-z]{4,}/.test(history[0].text), 'and no reason left in English');
    const overdueLine = riskSection().getByTestId('customer-receivables').locator(`[data-testid="receivable"][data-id="${first.id}"]`);
    check((await overdueLine.getAttribute('data-overdue')) === 'true' && (await overdueLine.getByTestId('receivable-overdue').innerText()) === '逾期 4 天', 'the first receivable is marked 逾期 4 天');
    check((await riskSection().getByTestId('customer-receivables').locator('[data-overdue="true"]').count()) === 1, 'and only that one');
    await riskSection().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'customer-risk-yellow-360.png'), fullPage: true });

    console.log('risk tiers: seventeen days after it, cumulative overdue days make it RED');
    await api(base, 'mutation ($at: DateTime!) { setTestClock(at: $at) }', { at: `${addDays(dueDates[0], 17)}T04:00:00Z` }, adminToken);
    check((await tierOf()).riskTier === 'RED', 'the API has RED');
    await openCustomer('RED');
    check((await riskSection().getByTestId('tier-badge').first().innerText()) === '红', 'the customer page shows the 红 badge');
    history = await historyShown();
    check(
      history.length === 2 && history[0].from === 'YELLOW' && history[0].to === 'RED' && history[1].to === 'YELLOW',
      `the history lists 黄 → 红 above 蓝 → 黄 (${history.map((step) => `${step.from}→${step.to}`).join(', ')})`,
    );
    check(history[0].text.includes('累计逾期 17 天，超过 15 天'), `with the cumulative reason in Chinese (${history[0].text})`);
    check((await overdueLine.getByTestId('receivable-overdue').innerText()) === '逾期 17 天', 'the first receivable is 逾期 17 天');
    await riskSection().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'customer-risk-red-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'customer-risk-red-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });

    console.log('collection forecast: the rest is paid 17 days late; the open instalments are likely late');
    today = await serverToday();
    await pay(first.id, '500', today);
    const { collectionForecast } = await api(base, 'query { collectionForecast(first: 200) { receivable { id } customer { id } likelyLate predictedPaymentDate } }', {}, financeToken);
    const lateIds = collectionForecast.filter((row) => row.likelyLate).map((row) => row.receivable.id).sort();
    check(lateIds.join() === [second.id, third.id].sort().join(), `the API marks exactly the customer's two open instalments likely late (${lateIds.length} of ${collectionForecast.length})`);
    check(collectionForecast.some((row) => row.customer?.id !== customer.id && !row.likelyLate), 'and other industries\' receivables not');
    const predicted = collectionForecast.find((row) => row.receivable.id === second.id).predictedPaymentDate;
    check(predicted === addDays(dueDates[1], 17), `the second is predicted 17 days after its due date (${predicted})`);

    await signIn(financeEmail);
    await page.goto('/settings');
    await page.getByTestId('settings-forecast').click();
    await page.waitForURL('**/finance/forecast');
    const rows = page.getByTestId('forecast-list').getByTestId('forecast-row');
    await rows.first().waitFor();
    await page.getByTestId('forecast-list').locator(`[data-id="${second.id}"]`).waitFor();
    const shown = await rows.evaluateAll((items) => items.map((item) => ({ id: item.querySelector('[data-testid="receivable"]')?.getAttribute('data-id'), late: item.getAttribute('data-late'), mark: item.querySelector('[data-testid="likely-late"]')?.textContent ?? null })));
    check(shown.length === collectionForecast.length, `the page lists every open receivable (${shown.length})`);
    const wrong = shown.filter((row) => (row.late === 'true') !== lateIds.includes(row.id) || (row.mark === '可能逾期') !== lateIds.includes(row.id));
    check(wrong.length === 0, `exactly the API's likely-late rows carry the 可能逾期 mark (${shown.filter((row) => row.mark).length} marked)`);
    const secondRow = page.locator(`[data-testid="forecast-row"]:has([data-id="${second.id}"])`);
    check((await secondRow.innerText()).includes(customerName), 'the marked rows name the customer');
    await secondRow.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'forecast-360.png') });
    await page.getByTestId('filter-late').click();
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="forecast-row"]').length === count, lateIds.length);
    const filtered = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-late')));
    check(filtered.length === 2 && filtered.every((late) => late === 'true'), `只看可能逾期 keeps the two marked rows (${filtered.length})`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'forecast-likely-late-1280.png'), fullPage: true });
  } catch (error) {
    await page?.screenshot({ path: join(results, 'risk-forecast-failure.png'), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context?.close();
  }
}

/** `YYYY-MM` plus `months`. */
function addMonths(month, months) {
  const [year, number] = month.split('-').map(Number);
  const index = year * 12 + number - 1 + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last day of `YYYY-MM` (28–31). */
function lastDayOf(month) {
  const [year, number] = month.split('-').map(Number);
  return new Date(Date.UTC(year, number, 0)).getUTCDate();
}

/**
 * Risk-tier thresholds and the monthly collection report (R4, R7). The admin
 * opens the thresholds from settings (the defaults), tries a share of 150 %
 * (the error sits beside that input after the confirmation), then raises the
 * cumulative overdue days to 30 and sees the tiers recomputed — the customer
 * the previous scenario turned RED is RED no longer. Then, through the test
 * clock, a customer of its own industry signs on the 1st of a month M with
 * instalments due on the 10th and the 20th, pays the first 5 days late and
 * not the second; in month M+1 FINANCE opens the report of M from settings:
 * that customer tops the overdue list, and its industry shows agreed 9 vs
 * actual 14 days with its overdue share rising. The rep's manager opens it
 * from the risk center and follows the customer's link to its page.
 */
async function runThresholdsAndCollectionReport(browser, base) {
  const token = async (email) => (await api(base, 'mutation ($email: String!) { login(email: $email, password: "dealdesk-demo") { accessToken } }', { email })).login.accessToken;
  const adminToken = await token('admin@demo.dealdesk.cn');
  const repToken = await token('rep1@demo.dealdesk.cn');
  const financeEmail = `finance-report-${stamp}@demo.dealdesk.cn`;
  const legalEmail = `legal-report-${stamp}@demo.dealdesk.cn`;
  for (const [email, name, role] of [[financeEmail, '赵出纳', 'FINANCE'], [legalEmail, '钱法务', 'LEGAL']]) {
    await api(base, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email, name, password: 'dealdesk-demo', role } }, adminToken);
  }
  const financeToken = await token(financeEmail);
  const legalToken = await token(legalEmail);
  const serverToday = async () => shanghaiDay((await api(base, 'query { testClock }', {}, adminToken)).testClock);
  const redCustomers = async () => (await api(base, 'query { riskCenter { customer { id name } } }', {}, adminToken)).riskCenter;

  let context = null;
  let page = null;
  const signIn = async (email) => {
    await context?.close();
    context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (error) => console.log(`  page error: ${error.message} ${error.stack}`));
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByTestId('login-email').locator('input').fill(email);
    await page.getByTestId('login-password').locator('input').fill('dealdesk-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('today-due').waitFor();
  };
  const field = (name) => page.getByTestId(`threshold-${name}`);
  const errorBeside = async (name) => {
    const error = field(name).locator('.adm-form-item-feedback-error');
    return (await error.count()) === 0 ? null : (await error.first().innerText()).trim();
  };
  const saveAndConfirm = async () => {
    await page.getByTestId('thresholds-save').click();
    const dialog = page.locator('.adm-dialog');
    await dialog.getByTestId('thresholds-confirm').waitFor();
    const text = await dialog.innerText();
    await dialog.getByRole('button', { name: '保存并重算', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  };

  try {
    console.log('thresholds: the admin opens them from settings; the org uses the defaults');
    const redBefore = await redCustomers();
    check(redBefore.length >= 1, `the previous scenario left a RED customer (${redBefore.map((entry) => entry.customer?.name).join(', ')})`);
    await signIn('admin@demo.dealdesk.cn');
    await page.goto('/settings');
    await page.getByTestId('settings-risk-thresholds').click();
    await page.waitForURL('**/settings/risk-thresholds');
    await page.getByTestId('thresholds-default').waitFor();
    const shown = {};
    for (const name of ['redCumulativeOverdueDays', 'redOverdueSharePercent', 'onTimeRatePercent', 'windowMonths', 'cumulativeWindowDays']) shown[name] = await field(name).locator('input').inputValue();
    check(JSON.stringify(shown) === JSON.stringify({ redCumulativeOverdueDays: '15', redOverdueSharePercent: '10', onTimeRatePercent: '95', windowMonths: '6', cumulativeWindowDays: '365' }), `the form shows the SPEC's defaults (${JSON.stringify(shown)})`);
    check((await page.getByTestId('thresholds-default').innerText()) === '默认值', 'marked 默认值');
    check((await page.getByTestId('thresholds-rules').innerText()).includes('近 365 天累计逾期超过 15 天'), 'the rules are spelled out with the numbers');
    await page.screenshot({ path: join(results, 'risk-thresholds-360.png'), fullPage: true });

    console.log('thresholds: a share of 150 % is refused beside its input');
    await field('redOverdueSharePercent').locator('input').fill('150');
    const firstConfirm = await saveAndConfirm();
    check(firstConfirm.includes('10 → 150') && firstConfirm.includes('重算所有客户的风险等级'), `the confirmation names the change and the recompute (${firstConfirm.replace(/\s+/g, ' ')})`);
    await page.getByTestId('form-error').waitFor();
    await field('redOverdueSharePercent').locator('.adm-form-item-feedback-error').waitFor();
    check((await errorBeside('redOverdueSharePercent')) === '须大于 0 且不超过 100', `the error sits beside 红：逾期额占比达, in Chinese (${await errorBeside('redOverdueSharePercent')})`);
    const elsewhere = [];
    for (const name of ['redCumulativeOverdueDays', 'onTimeRatePercent', 'windowMonths', 'cumulativeWindowDays']) if (await errorBeside(name)) elsewhere.push(name);
    check(elsewhere.length === 0, 'and beside no other input');
    const unchanged = (await api(base, 'query { riskThresholds { redOverdueSharePercent isDefault } }', {}, adminToken)).riskThresholds;
    check(unchanged.isDefault && unchanged.redOverdueSharePercent === '10.00', 'nothing was saved');
    await field('redCumulativeOverdueDays').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'risk-thresholds-error-360.png') });

    console.log('thresholds: 30 cumulative overdue days instead of 15 are saved and every tier recomputed');
    await field('redOverdueSharePercent').locator('input').fill('10');
    await field('redCumulativeOverdueDays').locator('input').fill('30');
    const secondConfirm = await saveAndConfirm();
    check(secondConfirm.includes('15 → 30') && !secondConfirm.includes('150'), 'the confirmation names only the days');
    await page.getByTestId('thresholds-outcome').waitFor();
    const outcome = await page.getByTestId('thresholds-outcome').innerText();
    check(outcome.includes('所有客户的风险等级已按新阈值重算'), `the screen says the tiers were recomputed (${outcome})`);
    const saved = (await api(base, 'query { riskThresholds { redCumulativeOverdueDays redOverdueSharePercent isDefault tiersRecomputed } }', {}, adminToken)).riskThresholds;
    check(saved.redCumulativeOverdueDays === 30 && saved.redOverdueSharePercent === '10.00' && !saved.isDefault && saved.tiersRecomputed, `the API has them (${JSON.stringify(saved)})`);
    const redAfter = await redCustomers();
    const count = page.getByTestId('thresholds-red-count');
    check(
      Number(await count.getAttribute('data-before')) === redBefore.length && Number(await count.getAttribute('data-after')) === redAfter.length && redAfter.length < redBefore.length,
      `the RED count went from ${redBefore.length} to ${redAfter.length}, as the risk center says (${await count.innerText()})`,
    );
    await page.getByTestId('thresholds-custom').waitFor();
    check((await page.getByTestId('thresholds-rules').innerText()).includes('累计逾期超过 30 天'), 'the rules show 30 days and 已自定义');
    await page.locator('.adm-toast-mask').waitFor({ state: 'detached' }).catch(() => undefined);
    await page.getByTestId('thresholds-current').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(results, 'risk-thresholds-saved-360.png') });

    console.log('collection report: a customer of its own industry signs on the 1st of month M (API)');
    const monthM = addMonths((await serverToday()).slice(0, 7), 1);
    const monthN = addMonths(monthM, 1);
    const day = (month, n) => `${month}-${String(n).padStart(2, '0')}`;
    await api(base, 'mutation ($at: DateTime!) { setTestClock(at: $at) }', { at: `${day(monthM, 2)}T02:00:00Z` }, adminToken);
    const industry = `汽车零部件${stamp}`;
    const customerName = `常州华锐汽车零部件有限公司${stamp}`;
    const { createCustomer: customer } = await api(
      base,
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { name: customerName, creditCode: creditCode(parseInt(stamp, 36) + 1), industry, region: '江苏常州' } },
      repToken,
    );
    const { createDeal: deal } = await api(base, 'mutation ($input: CreateDealInput!) { createDeal(input: $input) { id } }', { input: { title: `底盘件产线改造 ${stamp}`, customerId: customer.id, amount: { amount: '2000000', currency: 'CNY' } } }, repToken);
    await api(
      base,
      'mutation ($input: MoveDealStageInput!) { moveDealStage(input: $input) { id } }',
      { input: { dealId: deal.id, stage: 'NEGOTIATION', coreNeed: '确认两期付款', decisionRole: 'DECISION_MAKER', nextFollowUpAt: `${day(monthM, 25)}T02:00:00Z` } },
      repToken,
    );
    const { createContract: contract } = await api(
      base,
      'mutation ($input: CreateContractInput!) { createContract(input: $input) { id } }',
      {
        input: {
          dealId: deal.id,
          amount: { amount: '2000000', currency: 'CNY' },
          paymentTermsDays: 9,
          signedAt: day(monthM, 1),
          instalments: [
            { dueDate: day(monthM, 10), amount: { amount: '1200000', currency: 'CNY' } },
            { dueDate: day(monthM, 20), amount: { amount: '800000', currency: 'CNY' } },
          ],
        },
      },
      repToken,
    );
    for (const back of [1, 2, 3]) await attachStatement(base, repToken, contract.id, addMonths(monthM, -back));
    await api(base, 'mutation ($id: ID!) { runPaymentCheck(contractId: $id) { passed } }', { id: contract.id }, repToken);
    await api(base, 'mutation ($id: ID!) { confirmContractLegal(id: $id) { id } }', { id: contract.id }, legalToken);
    const passed = (await api(base, 'mutation ($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }', { id: contract.id }, repToken)).runPaymentCheck;
    check(passed.passed, `the payment check passes (${passed.reasons.join('; ')})`);
    await api(base, 'mutation ($id: ID!) { submitContract(id: $id) { id } }', { id: contract.id }, repToken);
    await api(base, 'mutation ($id: ID!) { approveContract(id: $id) { id } }', { id: contract.id }, financeToken);
    const [first] = (await api(base, 'query ($id: ID!) { contract(id: $id) { receivables { id dueDate } } }', { id: contract.id }, financeToken)).contract.receivables;

    console.log('collection report: the first instalment is paid 5 days late, the second not at all; month M ends');
    await api(base, 'mutation ($at: DateTime!) { setTestClock(at: $at) }', { at: `${day(monthM, 15)}T02:00:00Z` }, adminToken);
    await api(base, 'mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }', { input: { receivableId: first.id, amount: { amount: '1200000', currency: 'CNY' }, paidAt: day(monthM, 15) } }, financeToken);
    await api(base, 'mutation ($at: DateTime!) { setTestClock(at: $at) }', { at: `${day(monthN, 2)}T02:00:00Z` }, adminToken);
    const report = (
      await api(
        base,
        'query ($month: String!) { collectionReport(month: $month) { topOverdueCustomers { customer { id } overdueAmount { amount } overdueDays } industries { industry paidReceivables averageAgreedDays averageActualDays overdueShareRising } } }',
        { month: monthM },
        financeToken,
      )
    ).collectionReport;
    const overdueDays = lastDayOf(monthM) - 20;
    const top = report.topOverdueCustomers[0];
    check(top?.customer?.id === customer.id && top.overdueAmount.amount === '800000.00' && top.overdueDays === overdueDays, `the API's report of ${monthM} has the customer on top: 800 000 overdue ${overdueDays} days (${JSON.stringify(top)})`);
    const industryRow = report.industries.find((row) => row.industry === industry);
    check(industryRow?.paidReceivables === 1 && industryRow.averageAgreedDays === 9 && industryRow.averageActualDays === 14 && industryRow.overdueShareRising, `and its industry: agreed 9, actual 14 days, share rising (${JSON.stringify(industryRow)})`);

    console.log('collection report: FINANCE opens it from settings and picks month M');
    await signIn(financeEmail);
    await page.goto('/settings');
    await page.getByTestId('settings-collection-report').click();
    await page.waitForURL('**/finance/collection-report');
    await page.getByTestId('month-label').waitFor();
    const deviceMonth = new Date();
    deviceMonth.setDate(1);
    deviceMonth.setMonth(deviceMonth.getMonth() - 1);
    const previous = `${deviceMonth.getFullYear()}年${deviceMonth.getMonth() + 1}月`;
    check((await page.getByTestId('month-label').innerText()) === previous, `the previous month is picked by default (${previous})`);
    await page.goto(`/finance/collection-report?month=${monthM}`);
    const body = page.locator(`[data-testid="collection-report"][data-month="${monthM}"]`);
    await body.waitFor();
    const rows = body.getByTestId('top-overdue-row');
    await rows.first().waitFor();
    const firstRow = rows.first();
    check((await firstRow.getByTestId('top-overdue-customer').innerText()) === customerName, `the customer tops the overdue list (${await firstRow.getByTestId('top-overdue-customer').innerText()})`);
    check((await firstRow.getByTestId('top-overdue-amount').innerText()).replace(/\s/g, '') === '¥800,000', `with ¥800,000 (${await firstRow.getByTestId('top-overdue-amount').innerText()})`);
    check((await firstRow.getByTestId('top-overdue-days').innerText()) === `逾期 ${overdueDays} 天`, `overdue ${overdueDays} days`);
    check((await rows.count()) === report.topOverdueCustomers.length, `the page lists the API's ${report.topOverdueCustomers.length} overdue customers`);
    const card = body.locator(`[data-testid="industry-row"][data-industry="${industry}"]`);
    check((await card.getAttribute('data-rising')) === 'true' && (await card.getByTestId('industry-rising').innerText()) === '逾期占比上升', 'its industry is marked 逾期占比上升');
    const days = await card.getByTestId('industry-days').innerText();
    check(days === '约定 9 天 · 实际 14 天 · 平均晚 5 天 · 结清 1 笔', `agreed vs actual days in words (${days})`);
    check((await body.locator(`[data-testid="rising-industry"][data-industry="${industry}"]`).count()) === 1, 'and listed among the rising industries');
    await body.getByTestId('report-days-chart').locator('canvas').first().waitFor();
    check(true, 'the agreed vs actual days chart is drawn');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'collection-report-360.png') });
    await page.screenshot({ path: join(results, 'collection-report-full-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, 'collection-report-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });

    console.log('collection report: the month picker steps back and forth');
    await page.getByTestId('month-previous').click();
    await page.locator(`[data-testid="collection-report"][data-month="${addMonths(monthM, -1)}"]`).waitFor();
    check(new URL(page.url()).searchParams.get('month') === addMonths(monthM, -1), 'one month back');
    await page.getByTestId('month-next').click();
    await body.waitFor();
    check(new URL(page.url()).searchParams.get('month') === monthM, 'and forward again to the linked month');

    // FINANCE's customer scope is its own customers, so the report's links open customer pages for managers and admins.
    console.log("collection report: the rep's manager opens it from the risk center and follows the top customer's link");
    await signIn('manager@demo.dealdesk.cn');
    await page.goto('/risk');
    await page.getByTestId('open-collection-report').click();
    await page.waitForURL('**/finance/collection-report');
    await page.getByTestId('month-label').waitFor();
    await page.goto(`/finance/collection-report?month=${monthM}`);
    const teamReport = page.locator(`[data-testid="collection-report"][data-month="${monthM}"]`);
    await teamReport.getByTestId('top-overdue-row').first().waitFor();
    check((await teamReport.getByTestId('report-scope').innerText()).includes('我管理的人员'), 'the manager sees the people they manage');
    check((await teamReport.getByTestId('top-overdue-customer').first().innerText()) === customerName, "their rep's customer on top");
    await teamReport.getByTestId('top-overdue-customer').first().click();
    await page.waitForURL(`**/customers/${customer.id}`);
    await page.getByTestId('customer-header').waitFor();
    check((await page.getByTestId('customer-header').innerText()).includes(customerName), 'the customer page opens from the report');
  } catch (error) {
    await page?.screenshot({ path: join(results, 'thresholds-report-failure.png'), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context?.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
