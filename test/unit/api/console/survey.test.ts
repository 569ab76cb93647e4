import { describe, expect, it } from 'vitest';
import { placeErrors } from '../../../../api/console/form';
import { BarChart, CompletionChart } from '../../../../api/console/survey-chart';
import {
  builderFields,
  editQuestions,
  parseEdit,
  questionCount,
  surveyCampaignBody,
} from '../../../../api/console/survey-form';
import { tryExpandDefinition } from '../../../../domain/playbooks';

describe('the survey builder form', () => {
  it('turns its fields into a monitoring campaign the API accepts', () => {
    const body = surveyCampaignBody({
      title: 'UPR watch',
      'audience.tags.include': 'lowell, monitors',
      'survey.recommendations': 'UPR-110.45 | Release detained human rights defenders',
      'survey.repeat.rounds': '6',
      'survey.repeat.every': 'P14D',
      'options.quietHours': 'on',
      'survey.questions.0.key': 'q1',
      'survey.questions.0.type': 'choice',
      'survey.questions.0.prompt.en': 'Were defenders released?',
      'survey.questions.0.prompt.km': 'តើអ្នកការពារសិទ្ធិត្រូវបានដោះលែងទេ?',
      'survey.questions.0.choices': 'yes | Yes | បាទ/ចាស\nno | No | ទេ',
      'survey.questions.0.next': 'no -> q3',
      'survey.questions.0.recommendations': 'UPR-110.45',
      'survey.questions.1.key': 'q2',
      'survey.questions.1.type': 'number',
      'survey.questions.1.prompt.en': 'How many?',
      'survey.questions.1.prompt.km': 'ប៉ុន្មាននាក់?',
      'survey.questions.1.min': '0',
      'survey.questions.1.max': '1000',
      'survey.questions.1.next': '0..0 -> end',
      'survey.questions.2.key': 'q3',
      'survey.questions.2.type': 'text',
      'survey.questions.2.prompt.en': 'What did you see?',
      'survey.questions.2.prompt.km': 'តើអ្នកបានឃើញអ្វី?',
      'survey.questions.2.timeout': 'P3D',
    });
    expect(body.survey.questions[0]).toMatchObject({
      choices: [
        { key: 'yes', label: { en: 'Yes', km: 'បាទ/ចាស' } },
        { key: 'no', label: { en: 'No', km: 'ទេ' } },
      ],
      next: [{ if: { choice: 'no' }, goto: 'q3' }],
    });
    expect(body.survey.questions[1]).toMatchObject({
      min: 0,
      max: 1000,
      next: [{ if: { min: 0, max: 0 }, goto: 'end' }],
    });
    expect(body).toMatchObject({
      audience: { tags: { include: ['lowell', 'monitors'] } },
      options: { quietHours: true },
    });
    const expanded = tryExpandDefinition(body, { now: new Date('2027-01-01T00:00:00Z') });
    expect(expanded.ok, JSON.stringify(expanded)).toBe(true);
    if (expanded.ok) expect(expanded.campaign.stages).toHaveLength(6);
  });

  it('places the API error of a bad skip target beside the skip rules of that question', () => {
    const body = surveyCampaignBody({
      title: 'x',
      'survey.questions.0.key': 'q1',
      'survey.questions.0.type': 'yes_no',
      'survey.questions.0.prompt.en': 'Q?',
      'survey.questions.0.prompt.km': 'សំណួរ?',
      'survey.questions.0.next': 'no -> nowhere',
    });
    const r = tryExpandDefinition(body, { now: new Date() });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const errors = placeErrors({ status: 400, title: 'Invalid', errors: r.issues }, builderFields());
    expect(errors.byField.get('survey.questions.0.next')?.join()).toContain('nowhere');
  });
});

describe('the survey builder buttons', () => {
  const start = {
    title: 'UPR watch',
    'survey.questions.count': '2',
    'survey.questions.0.key': 'q1',
    'survey.questions.0.type': 'yes_no',
    'survey.questions.0.prompt.en': 'Seen?',
    'survey.questions.1.key': 'q2',
    'survey.questions.1.type': 'text',
    'survey.questions.1.prompt.en': 'What?',
  };
  const edit = (v: Record<string, string>, action: string) => {
    const e = parseEdit(action);
    if (!e) throw new Error(`not an edit: ${action}`);
    return editQuestions(v, e);
  };

  it('adds a question of the chosen type with the next free key, beyond the old six', () => {
    let v: Record<string, string> = start;
    for (let i = 0; i < 6; i++) v = edit(v, 'add:number');
    expect(questionCount(v)).toBe(8);
    expect(v['survey.questions.7.key']).toBe('q8');
    expect(v['survey.questions.7.type']).toBe('number');
    expect(v.title).toBe('UPR watch');
    expect(builderFields(questionCount(v))).toContain('survey.questions.7.next');
  });

  it('moves and removes whole questions, every field following its question', () => {
    const moved = edit(start, 'down:0');
    expect(moved['survey.questions.0.key']).toBe('q2');
    expect(moved['survey.questions.0.prompt.en']).toBe('What?');
    expect(moved['survey.questions.1.type']).toBe('yes_no');
    const up = edit(moved, 'up:1');
    expect(up['survey.questions.0.key']).toBe('q1');
    const removed = edit(start, 'remove:0');
    expect(questionCount(removed)).toBe(1);
    expect(removed['survey.questions.0.key']).toBe('q2');
    expect(removed['survey.questions.1.key']).toBeUndefined();
    // The last question stays; out-of-range moves change nothing.
    expect(questionCount(edit(removed, 'remove:0'))).toBe(1);
    expect(edit(start, 'up:0')['survey.questions.0.key']).toBe('q1');
  });

  it('refuses buttons it does not know', () => {
    expect(parseEdit('launch')).toBeUndefined();
    expect(parseEdit('add:essay')).toBeUndefined();
    expect(parseEdit('remove:x')).toBeUndefined();
  });
});

describe('survey charts', () => {
  it('draw one bar per choice with its Khmer label as text, and completion over time', async () => {
    const svg = String(
      await BarChart({
        title: 'Released?',
        bars: [
          { label: { en: 'Yes', km: 'បាទ/ចាស' }, value: 3 },
          { label: { en: 'No', km: 'ទេ' }, value: 1 },
        ],
      }).toString(),
    );
    expect(svg).toContain('<svg');
    expect(svg).toContain('lang="km"');
    expect(svg).toContain('បាទ/ចាស');
    expect(svg).toContain('3 (75%)');
    expect((svg.match(/<rect/g) ?? []).length).toBe(2);
    const line = String(
      await CompletionChart({
        days: [
          { day: '2027-01-01', completed: 2 },
          { day: '2027-01-02', completed: 3 },
        ],
      }).toString(),
    );
    expect(line).toContain('>5<');
  });
});
