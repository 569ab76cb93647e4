import { proxyActivities } from '@temporalio/workflow';
import type { NaiveActivities } from './activities';

const { sendToSupporter } = proxyActivities<NaiveActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

/** The common pattern the campaign workflow is compared with: one workflow and one activity per recipient. */
export async function naiveSendWorkflow(input: { stageRunId: string; supporterId: string }): Promise<string> {
  return sendToSupporter(input);
}
