import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { userStateQuery } from '../../src/workflows/definitions.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal, type TemporalForTests } from '../helpers/temporal.js';
import { hire } from './helpers.js';

/** Debian's Chromium, installed by scripts/setup.sh; playwright-core downloads no browser of its own. */
const chromiumPath = '/usr/bin/chromium';
/** Where the screenshot is kept after the run (git-ignored). */
const artifactsDir = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const screenshotPath = `${artifactsDir}web-ui-failed-users.png`;

let temporal: TemporalForTests;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  temporal = await startTemporal({ ui: true });
  stack = await startStack(temporal);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await temporal?.teardown();
});

/** Workflow id of each user workflow on the stack's task queue, by the user name its state query gives. */
async function userWorkflowIds(): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const query = `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${stack.config.temporal.taskQueue}'`;
  for await (const execution of temporal.client.workflow.list({ query })) {
    const state = await temporal.client.workflow.getHandle(execution.workflowId).query(userStateQuery);
    ids.set(state.userName ?? '', execution.workflowId);
  }
  return ids;
}

/** Opens the workflow list, types a visibility query into its raw query box, and runs it. */
async function filterWorkflowList(page: Page, query: string): Promise<void> {
  await page.goto(`${temporal.uiUrl}/namespaces/default/workflows`);
  await page.getByTestId('toggle-manual-query').click();
  await page.getByTestId('workflow-manual-search-input').fill(query);
  await page.getByTestId('workflow-manual-search-button').click();
}

/** The workflow ids in the list as the page shows them, sorted. */
async function listedWorkflowIds(page: Page): Promise<string[]> {
  const rows = await page.getByTestId('workflows-summary-configurable-table-row').all();
  const ids = await Promise.all(rows.map((row) => row.locator('a').first().textContent()));
  return ids.map((id) => id?.trim() ?? '').sort();
}

describe('the Temporal Web UI', () => {
  test('lists exactly the failed users when the workflow list is filtered by ProvisioningState', async () => {
    const fine = ['ada', 'grace', 'linus'];
    const refused = ['wordy1', 'wordy2'];
    for (const uid of fine) await hire(stack.slapd, uid);
    for (const uid of refused) await hire(stack.slapd, uid, { title: 'x'.repeat(61) });

    const summary = await stack.reconcile();
    expect(summary.outcome).toMatchObject({ settled: 5, failed: 2 });
    const ids = await userWorkflowIds();
    expect(ids.size).toBe(5);
    const expected = refused.map((uid) => ids.get(uid)).sort();

    const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    await filterWorkflowList(page, 'ProvisioningState="failed"');

    await eventually(async () => {
      expect(new URL(page.url()).searchParams.get('query')).toBe('ProvisioningState="failed"');
      expect(await listedWorkflowIds(page)).toEqual(expected);
    }, 30_000);
    // Kept after the run for a person to look at: artifacts/web-ui-failed-users.png (git-ignored).
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
  }, 120_000);
});
