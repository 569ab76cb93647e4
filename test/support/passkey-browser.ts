import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from './browser';

/** One person at their own device: a browser context with Chromium's virtual platform authenticator. */
export interface Device {
  context: BrowserContext;
  page: Page;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

/**
 * A fresh context whose page has a CTAP2 internal authenticator with resident keys and user
 * verification (the DevTools protocol WebAuthn domain), as a phone or laptop with a screen lock.
 */
export async function newDevice(browser: Browser): Promise<Device> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return { context, page };
}
