import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvRecordToInput, readHeader } from '../../api/import/csv-supporter';
import { normalizeSupporter } from '../../api/import/supporter-input';
import { SupporterInputSchema } from '../../api/schemas/supporter';
import { writtenFields } from '../../db/supporters';

const org = { region: 'US', timezone: 'America/New_York' };
const normalized = (body: unknown) => {
  const parsed = SupporterInputSchema.safeParse(body);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const out = normalizeSupporter(parsed.data, org);
  if ('errors' in out) throw new Error(JSON.stringify(out.errors));
  return out.value;
};

describe('blank or missing supporter fields keep what is stored', () => {
  it('binds null (keep) for every field a body leaves out', () => {
    expect(writtenFields(normalized({ email: 'a@example.org' }))).toMatchObject({
      name: null,
      clear_name: false,
      locale: null,
      timezone: null,
      sms: null,
      mail: null,
    });
  });

  it('reads empty and whitespace-only strings as left out, not as values', () => {
    const w = writtenFields(
      normalized({ email: 'a@example.org', name: ' ', locale: '', timezone: '  ', phone: '' }),
    );
    expect(w).toMatchObject({ name: null, clear_name: false, locale: null, timezone: null });
  });

  it('keeps the consent of a channel the body does not mention', () => {
    expect(writtenFields(normalized({ email: 'a@example.org', consent: { email: false } }))).toMatchObject({
      sms: null,
      mail: false,
    });
  });

  it('changes a field only with an explicit value; null clears the name on purpose', () => {
    const w = writtenFields(
      normalized({ email: 'a@example.org', name: null, locale: 'en', timezone: 'UTC' }),
    );
    expect(w).toMatchObject({ clear_name: true, locale: 'en', timezone: 'UTC', new_zone_source: 'given' });
  });

  it('a CSV row with blank locale, timezone and consent cells says nothing about them', () => {
    const read = readHeader([...CSV_COLUMNS]);
    if ('errors' in read) throw new Error('header');
    const cells = csvRecordToInput(['', '', 'a@example.org', '', '', '', '', ''], read.header);
    if ('errors' in cells) throw new Error('row');
    const w = writtenFields(normalized(cells.input));
    expect(w).toMatchObject({ locale: null, timezone: null, sms: null, mail: null });
  });

  it('a new supporter still gets the defaults: en, no consent', () => {
    const w = writtenFields(normalized({ email: 'a@example.org' }));
    expect({ locale: w.locale ?? 'en', sms: w.sms ?? false }).toEqual({ locale: 'en', sms: false });
  });
});
