import { CAMPAIGN_STATUSES } from '../../../domain/campaign-status';
import type { CampaignPage } from '../api-client';
import type { ConsoleContext } from '../env';
import { kindLabel, percent, utc } from '../format';
import { Bi } from '../layout';
import { page } from '../render';

/** The campaign list: a status filter, one row per campaign, a link to the next page. */
export function campaignListPage(
  c: ConsoleContext,
  campaigns: CampaignPage,
  opts: { status?: string; next?: string },
) {
  const { status, next } = opts;
  return page(
    c,
    { title: 'Campaigns', section: 'campaigns' },
    <>
      <h1>
        <Bi en="Campaigns" km="យុទ្ធនាការ" />
      </h1>
      <p class="controls">
        <a class="button primary" href="/console/campaigns/new?kind=case_alert" data-new-urgent-action>
          <Bi en="New Urgent Action" km="សកម្មភាពបន្ទាន់ថ្មី" />
        </a>{' '}
        <a class="button" href="/console/campaigns/new">
          <Bi en="Other campaign" km="យុទ្ធនាការផ្សេងទៀត" />
        </a>
      </p>
      <form method="get" action="/console/campaigns" class="row" aria-label="Filter campaigns">
        <div class="field">
          <label for="f-status">
            <Bi en="Status" km="ស្ថានភាព" />
          </label>
          <select id="f-status" name="status">
            <option value="">all</option>
            {CAMPAIGN_STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {campaigns.items.length === 0 ? (
        <p>
          No campaigns{status ? ` with status ${status}` : ''} yet.{' '}
          <a href="/console/campaigns/new">Launch one</a>.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Current stage</th>
              <th scope="col">Next stage at</th>
              <th scope="col">Action rate</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.items.map((item) => (
              <tr data-campaign={item.id}>
                <th scope="row">
                  <a href={`/console/campaigns/${item.id}`}>{item.title}</a>
                </th>
                <td>{kindLabel(item.kind)}</td>
                <td>
                  <span class={`badge s-${item.status}`}>{item.status}</span>
                </td>
                <td>{item.currentStage ?? '—'}</td>
                <td>
                  <time datetime={item.nextStageAt ?? undefined}>{utc(item.nextStageAt)}</time>
                </td>
                <td data-action-rate>{percent(item.actionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <a href={next}>Next page</a>
        </p>
      ) : null}
    </>,
  );
}
