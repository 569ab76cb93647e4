import { describe, expect, it } from 'vitest';
import type { CampaignDetail } from '../../api/console/api-client';
import { CampaignView } from '../../api/console/campaign-page';

const campaign = (escalations: CampaignDetail['escalations']): CampaignDetail => ({
  id: '5f0c3c1e-8a57-4a43-9a0e-2b1f7f0f1a11',
  workflowId: 'campaign-5f0c3c1e',
  kind: 'case_alert',
  title: 'Free the prisoner',
  status: 'running',
  currentStage: null,
  nextStageAt: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  actionRate: 0.05,
  stages: [],
  escalations,
});

const html = (c: CampaignDetail) => String(CampaignView({ campaign: c, csrf: 'x' }));

describe('the campaign page', () => {
  it('says when and by which rule an audience was widened, and to whom', () => {
    const page = html(
      campaign([
        {
          stageKey: 'follow-up',
          step: 'widen_audience',
          actionRate: 0.05,
          ifActionRateBelow: 0.2,
          widenedTo: { tags: { include: ['partners'], exclude: ['press'] } },
          at: '2026-12-03T09:00:00.000Z',
        },
      ]),
    );
    expect(page).toContain('after follow-up: action rate 5.0 %, under the rule&#39;s 20.0 %');
    expect(page).toContain('Audience widened to supporters tagged partners (not press)');
    expect(page).toContain('2026-12-03 09:00 UTC');
  });

  it('says a notify-only escalation widened nobody', () => {
    const page = html(
      campaign([
        {
          stageKey: 'follow-up',
          step: 'notify_organizers',
          actionRate: 0,
          ifActionRateBelow: null,
          widenedTo: null,
          at: '2026-12-03T09:00:00.000Z',
        },
      ]),
    );
    expect(page).toContain(
      'Recorded for organizers (no notification is sent yet); the audience was not widened',
    );
    expect(page).not.toContain('Audience widened');
  });
});
