import { useTranslation } from "react-i18next";
import type { ChargeStatus } from "../../db/schema/billing-vocabulary";

/** A charge's status as a chip (open, partially paid, paid, refunded …). */
export function ChargeStatusChip({ status }: { status: ChargeStatus }) {
  const { t } = useTranslation("finance");
  return <span className={`listing-status charge-${status}`}>{t(`status.${status}`)}</span>;
}
