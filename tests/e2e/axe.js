// axe-core in the page, for the WCAG 2.2 AA checks of the accessibility specs. The engine is injected
// from the npm package (no network), once per document.
import { createRequire } from 'node:module';
import { expect } from '@playwright/test';

const require = createRequire(import.meta.url);
export const axeSource = require('axe-core').source;

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the bar issue 6 sets. */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The two themes: the portal sets `data-theme` on the root, standalone follows the system. */
export const THEMES = ['light', 'dark'];

/** The three locales, as `?lang=` spells them. */
export const LOCALES = ['en', 'zh-CN', 'ru'];

/**
 * Applies a theme the way the app does with the portal's `theme` message: `data-theme` on the root.
 * (Standalone, the system's preference chooses; a11y.spec.js checks that with emulateMedia.)
 */
export async function useTheme(page, theme) {
  await page.evaluate((theme) => document.documentElement.setAttribute('data-theme', theme), theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/**
 * The rules whose outcome depends on colours alone. A second theme changes only the custom
 * properties' values, not the document, so in it these are the only rules that can find anything new.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block', 'non-text-contrast'];

/**
 * The violations of the WCAG A/AA rules in the page (or under `include`), as axe reports them;
 * with `colourOnly`, of the rules that depend on colours.
 */
export async function violations(page, { include, exclude, colourOnly = false } = {}) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(
    async ({ tags, include, exclude, colourRules }) => {
      const known = new Set(window.axe.getRules(tags).map((rule) => rule.ruleId));
      const runOnly = colourRules
        ? { type: 'rule', values: colourRules.filter((rule) => known.has(rule)) }
        : { type: 'tag', values: tags };
      const context = { include: include ? [include] : [document], exclude: exclude ? [exclude] : [] };
      const result = await window.axe.run(context, {
        runOnly,
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    },
    { tags: WCAG_AA, include, exclude, colourRules: colourOnly ? COLOUR_RULES : null },
  );
}

/** Violations as a reader wants them in a failed test: rule, impact, element and what to fix. */
export function describe(found) {
  return found
    .map((v) =>
      [`${v.id} (${v.impact}): ${v.help}`]
        .concat(v.nodes.map((n) => `  at ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`))
        .join('\n'))
    .join('\n');
}

/**
 * Checks the page in both themes (every rule in the first, the colour rules in the second) and
 * returns to the light theme. `state` names the page state in the failure message. With `include`,
 * only that part of the page is checked; `exclude` leaves a part out.
 */
export async function expectNoViolations(page, state, { include, exclude, themes = THEMES } = {}) {
  for (const [index, theme] of themes.entries()) {
    await useTheme(page, theme);
    const found = await violations(page, { include, exclude, colourOnly: index > 0 });
    expect(found, `axe found WCAG A/AA violations in ${state} (${theme} theme):\n${describe(found)}`).toEqual([]);
  }
  await useTheme(page, 'light');
}
