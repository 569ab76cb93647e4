import type { Page } from 'playwright-core';

const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/;

/** Fonts Chromium drew one run of Khmer with: family name and how many glyphs it drew. */
export interface KhmerRun {
  text: string;
  fonts: Array<{ familyName: string; glyphCount: number }>;
}

/**
 * How each Khmer run on the page was drawn, asked from Chromium itself (CDP CSS.getPlatformFontsForNode).
 * Every element's Khmer characters are copied into a probe span with the element's own computed font,
 * so a font reported for a probe drew Khmer glyphs only: a glyph missing from every font in the stack
 * shows up as a font without Khmer (its .notdef box).
 */
export async function khmerRuns(page: Page): Promise<KhmerRun[]> {
  // Runs in the page (this project's TypeScript has no DOM types): marks and returns the Khmer runs.
  const texts = (await page.evaluate(`(() => {
    const found = [];
    const nodes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    // Collected first: the probes added below hold Khmer text too, and must not be walked.
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    for (const n of nodes) {
      const parent = n.parentElement;
      const text = n.textContent || '';
      if (!parent || !/${KHMER.source}/u.test(text) || getComputedStyle(parent).display === 'none') continue;
      const probe = document.createElement('span');
      probe.setAttribute('data-khmer-probe', String(found.length));
      probe.textContent = text.replace(/[^${KHMER.source.slice(1, -1)}]+/gu, '');
      parent.appendChild(probe);
      found.push(probe.textContent);
    }
    return found;
  })()`)) as string[];
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const runs: KhmerRun[] = [];
    for (let i = 0; i < texts.length; i++) {
      const { nodeId } = await cdp.send('DOM.querySelector', {
        nodeId: root.nodeId,
        selector: `[data-khmer-probe="${i}"]`,
      });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      runs.push({
        text: texts[i]!,
        fonts: fonts.map((f) => ({ familyName: f.familyName, glyphCount: f.glyphCount })),
      });
    }
    return runs;
  } finally {
    await page.evaluate(`document.querySelectorAll('[data-khmer-probe]').forEach((p) => p.remove())`);
    await cdp.detach();
  }
}
