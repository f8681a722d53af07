import { acquisitionCohortsLog } from './acquisition-cohorts.ts';
import { activationLog } from './activation.ts';
import { checkoutTestLog } from './checkout-test.ts';
import { gameCohortsLog } from './game-cohorts.ts';
import { growthLiesLog } from './growth-lies.ts';
import { subscriptionsLog } from './subscriptions.ts';

/**
 * Event logs the teaching notebooks generate from a fixed seed instead of shipping large files. A
 * notebook names one in its front matter as `data: generated:<name>`.
 */
export const TEACHING_DATA: Record<string, { file: string; generate: () => string }> = {
  'growth-lies': { file: 'growth-lies.csv', generate: () => growthLiesLog() },
  'acquisition-cohorts': { file: 'acquisition-cohorts.csv', generate: acquisitionCohortsLog },
  'game-cohorts': { file: 'game-cohorts.csv', generate: gameCohortsLog },
  subscriptions: { file: 'subscriptions.csv', generate: () => subscriptionsLog() },
  'checkout-test': { file: 'checkout-test.csv', generate: checkoutTestLog },
  activation: { file: 'activation.csv', generate: activationLog },
};

export { GAME_WEEKS } from './game-cohorts.ts';
