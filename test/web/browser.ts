import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, HEADLESS_FLAGS } from '../helpers/chromium.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...HEADLESS_FLAGS] });
}
