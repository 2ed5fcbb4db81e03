import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { MoneyCells, TableHead } from './common';

/** One funder's part of an approved claim: its share, what was paid, what is still to pay. */
export interface ShareRow {
  readonly funder: 'city' | 'district';
  readonly label: ReactNode;
  readonly share: string;
  readonly paid: string;
  readonly toPay: string;
}

/** The split of one claim per funder (the claim page and the finance page show the same table). */
export function SharesTable({
  rows,
  testId,
}: {
  readonly rows: readonly ShareRow[];
  readonly testId: string;
}): ReactNode {
  const { t } = useI18n();
  return (
    <table className="data" data-testid={testId}>
      <TableHead
        columns={[
          t('finance.funder'),
          { num: t('claim.share') },
          { num: t('claim.paid') },
          { num: t('claim.toPay') },
        ]}
      />
      <tbody>
        {rows.map((row) => (
          <tr key={row.funder} data-funder={row.funder} data-to-pay={row.toPay}>
            <td>{row.label}</td>
            <MoneyCells amounts={[row.share, row.paid, row.toPay]} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
