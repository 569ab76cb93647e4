import type { FormValues } from '../env';

/** `update.content.km.sms` fields → the case-updates body (empty texts left out). */
export function caseUpdateBody(prefix: 'update' | 'close', v: FormValues) {
  const t = (k: string) => (v[`${prefix}.${k}`]?.trim() ? v[`${prefix}.${k}`] : undefined);
  const locale = (l: string) => {
    const m = { sms: t(`content.${l}.sms`), body: t(`content.${l}.body`) };
    return m.sms || m.body ? m : undefined;
  };
  const en = locale('en');
  const km = locale('km');
  return {
    content: en || km ? { ...(en ? { en } : {}), ...(km ? { km } : {}) } : {},
    audience: v[`${prefix}.audience`],
    ...(prefix === 'close' ? { resolution: v['close.resolution'] } : {}),
  };
}
