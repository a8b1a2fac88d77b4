/** No page scrolls sideways on a 320 px phone: wide content (display math, tables) scrolls in its own box. */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { sitePages } from './pages.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
let pages: string[];

beforeAll(async () => {
  pages = await sitePages(browser(), baseUrl);
});

describe('phone layout', () => {
  it('no page is wider than a 320 px screen', async () => {
    const context = await browser().newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const overflowing: string[] = [];
    for (const url of pages) {
      await page.goto(url, { waitUntil: 'load' });
      const found = await page.evaluate(() => {
        const excess = document.documentElement.scrollWidth - document.documentElement.clientWidth;
        if (excess <= 0) return null;
        // Name the outermost elements that stick out (not clipped by a box that scrolls), so that a
        // failure says what to fix.
        const width = document.documentElement.clientWidth;
        const found: Element[] = [];
        const clipped = (el: Element) => {
          for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
          }
          return false;
        };
        for (const el of document.querySelectorAll('body *')) {
          if (el.getBoundingClientRect().right <= width + 0.5 || found.some((f) => f.contains(el)) || clipped(el)) continue;
          found.push(el);
          if (found.length >= 3) break;
        }
        const culprits = found.map((el) => `${el.tagName.toLowerCase()}${el.classList.length ? '.' + [...el.classList].join('.') : ''} (${Math.round(el.getBoundingClientRect().right)} px)`);
        return `${document.documentElement.scrollWidth} px wide (${culprits.join(', ')})`;
      });
      if (found) overflowing.push(`${new URL(url).pathname}: ${found}`);
    }
    await context.close();
    expect(overflowing).toEqual([]);
  });
});
