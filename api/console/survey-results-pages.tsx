import type { Hono } from 'hono';
import type { ApiFetch } from './api-client';
import type { ConsoleContext, ConsoleEnv } from './env';
import { Bi } from './layout';
import { messagePage, page } from './render';
import { BarChart, CompletionChart } from './survey-chart';

interface QuestionResult {
  key: string;
  type: string;
  prompt: { en: string; km: string };
  answers: number;
  counts: Record<string, number>;
  stats?: { min: number; max: number; mean: number };
  choices?: Choice[];
}
interface Results {
  respondents: number;
  completed: number;
  asked: number;
  incomplete: number;
  stopped: number;
  open: number;
  completionRate: number | null;
  completionByDay: Array<{ day: string; completed: number }>;
  questions: QuestionResult[];
  recommendations: Array<{ id: string; text: string; questions: QuestionResult[] }>;
}
interface Choice {
  key: string;
  label: { en: string; km: string };
}
interface CampaignWithSurvey {
  id: string;
  title: string;
  kind: string;
}

const YES_NO: Choice[] = [
  { key: 'yes', label: { en: 'Yes', km: 'បាទ/ចាស' } },
  { key: 'no', label: { en: 'No', km: 'ទេ' } },
];

/** One question's published result: a bar chart for choices, statistics for numbers, a count of verified reports. */
function QuestionBlock(props: { q: QuestionResult; choices: Choice[]; campaignId: string }) {
  const { q } = props;
  const labelOf = (key: string) => props.choices.find((c) => c.key === key)?.label ?? { en: key, km: key };
  return (
    <section class="card" data-question={q.key}>
      <h3>
        {q.prompt.en}
        <span class="km" lang="km">
          {q.prompt.km}
        </span>
      </h3>
      <p>{`${q.answers} answer${q.answers === 1 ? '' : 's'} · ${q.key} · ${q.type}`}</p>
      {q.type === 'choice' || q.type === 'yes_no' ? (
        <BarChart
          title={q.prompt.en}
          bars={Object.entries(q.counts).map(([key, value]) => ({ label: labelOf(key), value }))}
        />
      ) : null}
      {q.type === 'number' ? (
        q.stats ? (
          <dl class="row">
            <dt>min</dt>
            <dd>{q.stats.min}</dd>
            <dt>mean</dt>
            <dd>{q.stats.mean}</dd>
            <dt>max</dt>
            <dd>{q.stats.max}</dd>
          </dl>
        ) : (
          <p>No answers yet.</p>
        )
      ) : null}
      {q.type === 'text' ? (
        <p>
          <Bi en="Verified reports count here; " km="មានតែរបាយការណ៍ដែលបានផ្ទៀងផ្ទាត់ប៉ុណ្ណោះ។ " />
          <a href={`/console/reports?campaignId=${props.campaignId}&status=pending`}>review the queue</a>.
        </p>
      ) : null}
    </section>
  );
}

async function load(c: ConsoleContext, id: string) {
  const api = c.get('api');
  const [campaign, results] = await Promise.all([
    api.get<CampaignWithSurvey>(`/v1/campaigns/${encodeURIComponent(id)}`),
    api.get<Results>(`/v1/campaigns/${encodeURIComponent(id)}/results`),
  ]);
  if (!campaign.ok || !results.ok) return undefined;
  return { campaign: campaign.body, results: results.body };
}

const choicesFor = (q: QuestionResult) => (q.type === 'yes_no' ? YES_NO : (q.choices ?? []));

export function registerSurveyResultPages(app: Hono<ConsoleEnv>, fetchApi: ApiFetch) {
  app.get('/campaigns/:id/results', async (c) => {
    const id = c.req.param('id');
    const data = await load(c, id);
    if (!data)
      return messagePage(
        c,
        404,
        'No results',
        'No monitoring survey with this id exists in your organization.',
      );
    const { campaign, results } = data;
    return page(
      c,
      { title: `Results: ${campaign.title}`, section: 'campaigns' },
      <>
        <h1>
          <Bi en="Survey results" km="លទ្ធផលការស្ទង់មតិ" />: {campaign.title}
        </h1>
        <p>
          <a href={`/console/campaigns/${id}`}>Campaign</a> ·{' '}
          <a href={`/console/campaigns/${id}/results.csv`}>Download CSV</a> ·{' '}
          <a href={`/console/reports?campaignId=${id}`}>Reports</a>
        </p>
        <dl class="row" data-totals>
          <dt>asked</dt>
          <dd>{results.asked}</dd>
          <dt>respondents</dt>
          <dd>{results.respondents}</dd>
          <dt>completed</dt>
          <dd>{results.completed}</dd>
          <dt>incomplete</dt>
          <dd>{results.incomplete}</dd>
          <dt>stopped</dt>
          <dd>{results.stopped}</dd>
          <dt>still answering</dt>
          <dd>{results.open}</dd>
        </dl>
        <h2>
          <Bi en="Completion over time" km="ការបញ្ចប់តាមពេលវេលា" />
        </h2>
        <CompletionChart days={results.completionByDay} />
        {results.recommendations.length > 0 ? (
          <>
            <h2>
              <Bi en="By UN recommendation" km="តាមអនុសាសន៍អង្គការសហប្រជាជាតិ" />
            </h2>
            <ul>
              {results.recommendations.map((r) => (
                <li>
                  <a href={`/console/campaigns/${id}/results/recommendations/${encodeURIComponent(r.id)}`}>
                    {r.id}
                  </a>
                  {` ${r.text}`}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>
          <Bi en="Questions" km="សំណួរ" />
        </h2>
        {results.questions.map((q) => (
          <QuestionBlock q={q} choices={choicesFor(q)} campaignId={id} />
        ))}
      </>,
    );
  });

  app.get('/campaigns/:id/results/recommendations/:rid', async (c) => {
    const id = c.req.param('id');
    const data = await load(c, id);
    const rec = data?.results.recommendations.find((r) => r.id === c.req.param('rid'));
    if (!data || !rec)
      return messagePage(c, 404, 'No such recommendation', 'This survey does not monitor it.');
    return page(
      c,
      { title: `${rec.id}: ${data.campaign.title}`, section: 'campaigns' },
      <>
        <h1>{rec.id}</h1>
        <p>{rec.text}</p>
        <p>
          <a href={`/console/campaigns/${id}/results`}>All results</a>
        </p>
        {rec.questions.map((q) => (
          <QuestionBlock q={q} choices={choicesFor(q)} campaignId={id} />
        ))}
      </>,
    );
  });

  app.get('/campaigns/:id/results.csv', async (c) => {
    const id = c.req.param('id');
    const s = c.get('session');
    const res = await fetchApi(
      `/v1/campaigns/${encodeURIComponent(id)}/results.csv`,
      { method: 'GET' },
      { tokenId: null, personId: s.personId, orgId: s.orgId, role: s.role, partnerId: null },
    );
    if (!res.ok)
      return messagePage(
        c,
        404,
        'No results',
        'No monitoring survey with this id exists in your organization.',
      );
    return new Response(res.body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="survey-${id}.csv"`,
      },
    });
  });
}
