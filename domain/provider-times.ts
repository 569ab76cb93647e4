/**
 * When Twilio says a status happened: `RawDlrDoneDate` of a status callback, as carriers give it
 * (`YYMMDDhhmm`, UTC, minute precision) or as an RFC 2822 date. Undefined when absent or unreadable.
 */
export function twilioEventTime(raw: string | undefined): Date | undefined {
  if (!raw) return undefined;
  const compact = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw.trim());
  const at = compact
    ? new Date(
        Date.UTC(
          2000 + Number(compact[1]),
          Number(compact[2]) - 1,
          Number(compact[3]),
          Number(compact[4]),
          Number(compact[5]),
        ),
      )
    : new Date(raw);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
