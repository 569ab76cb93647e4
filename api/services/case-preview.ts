import { appealByInstant } from '../../domain/case-sheet';
import { withTargetKeys } from '../../domain/case-targets';
import { letterDraft, letterSubject, targetLanguage } from '../../domain/letter';
import type { ExpandedCampaign } from '../../domain/resolved-stage';

/** The case part of POST /v1/campaigns/preview: the sheet's key facts and each target's letter draft. */
export function casePreview(campaign: ExpandedCampaign) {
  const sheet = campaign.case!;
  const caseName = campaign.params.caseName;
  return {
    uaNumber: sheet.uaNumber,
    appealBy: sheet.appealBy ? appealByInstant(sheet.appealBy) : null,
    persons: (sheet.persons ?? []).map((p) => p.name),
    targets: withTargetKeys(campaign.action?.targets).map((t) => ({
      key: t.key,
      name: t.name,
      language: targetLanguage(t),
      subject: letterSubject(sheet, t, caseName),
      letter: letterDraft(sheet, t, caseName),
    })),
  };
}
