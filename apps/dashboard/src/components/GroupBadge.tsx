import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { districtInfo, splitPercents } from '../lib/reference';

/** A district's fiscal group and split (clause 十一), e.g. "B 组：市级 25% / 区县 75%". */
export function GroupBadge({
  district,
  group,
  cityRate,
  testId,
}: {
  readonly district: string;
  readonly group?: 'A' | 'B' | null;
  readonly cityRate?: string;
  readonly testId?: string;
}): ReactNode {
  const { t } = useI18n();
  const info = districtInfo(district);
  const resolvedGroup = group ?? info?.group;
  const rate = cityRate ?? info?.cityRate;
  if (!resolvedGroup || !rate) return <span className="badge">—</span>;
  const percents = splitPercents(rate);
  return (
    <span
      className="badge group"
      data-testid={testId}
      data-group={resolvedGroup}
      data-city-rate={rate}
    >
      {t('district.groupLabel', {
        group: resolvedGroup,
        city: percents.city,
        district: percents.district,
      })}
    </span>
  );
}
