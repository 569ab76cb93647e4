import { describe, expect, it } from 'vitest';
import {
  applyBuilderIntent,
  customStageEntries,
  rowCount,
} from '../../../../../api/console/new-campaign/stage-builder-form';
import { playbookOutline } from '../../../../../api/console/new-campaign/stage-outline';
import { alignPlaybookRows } from '../../../../../api/console/new-campaign/stage-rows';

const caseBody = { kind: 'case_alert', title: 'UA 1/27 Kem Sokha', case: { uaNumber: 'UA 1/27' } };

describe('the new-campaign form’s stage rows', () => {
  it('prefill every playbook stage from its template and send nothing for stages left alone', () => {
    const outline = playbookOutline('case_alert', caseBody, {});
    const first = alignPlaybookRows({}, outline);
    expect(first.stages).toEqual([{ key: 'alert' }, { key: 'follow-up' }, { key: 'escalation' }]);
    expect(first.values['stages.1.content.km.sms']).toContain('រំលឹក');
    // The organizer changes the follow-up's English SMS: that stage alone sends its texts.
    const edited = { ...first.values, 'stages.1.content.en.sms': 'Our own reminder {{actionUrl}}' };
    const second = alignPlaybookRows(edited, outline);
    expect(second.stages[0]).toEqual({ key: 'alert' });
    expect(second.stages[1]).toMatchObject({
      key: 'follow-up',
      content: { en: { sms: 'Our own reminder {{actionUrl}}' }, km: { sms: expect.stringContaining('រំលឹក') } },
    });
    // A later re-render keeps the edit (it is still not the prefilled text).
    expect(alignPlaybookRows(second.values, outline).values['stages.1.content.en.sms']).toBe(
      'Our own reminder {{actionUrl}}',
    );
  });

  it('refresh an untouched text when the campaign’s fields change (a new election date)', () => {
    const body = (date: string) => ({
      kind: 'election_boycott',
      title: 'Boycott',
      params: { electionDate: date },
    });
    const before = alignPlaybookRows(
      {},
      playbookOutline('election_boycott', body('2027-07-23T00:00:00Z'), {}),
    );
    expect(before.values['stages.0.content.en.sms']).toContain('23 July 2027');
    const after = alignPlaybookRows(
      before.values,
      playbookOutline('election_boycott', body('2027-08-20T00:00:00Z'), {}),
    );
    expect(after.values['stages.0.content.en.sms']).toContain('20 August 2027');
    expect(after.stages.every((s) => !('content' in s))).toBe(true);
  });

  it('add, remove and reorder custom stages, and turn them into API stages', () => {
    let v = applyBuilderIntent({ title: 'Vigil' }, 'add')!;
    v = applyBuilderIntent(v, 'add')!;
    v = applyBuilderIntent(v, 'add')!;
    expect(rowCount(v)).toBe(3);
    v = { ...v, 'stages.2.timing': 'before', 'stages.2.at': '2', 'stages.2.unit': 'hours' };
    v = applyBuilderIntent(v, 'up:2')!;
    v = applyBuilderIntent(v, 'remove:0')!;
    const stages = customStageEntries(v);
    expect(stages.map((s) => [s.key, s.at])).toEqual([
      ['stage-3', { before: 'PT2H', anchor: 'eventDate' }],
      ['stage-2', { after: 'P1D' }],
    ]);
    expect(applyBuilderIntent(v, 'preview')).toBeUndefined();
    // A typed amount that is not a number goes as typed, so the API names the field.
    expect(customStageEntries({ ...v, 'stages.0.timing': 'after', 'stages.0.at': 'soon' })[0]?.at).toEqual({
      after: 'soon',
    });
  });
});
