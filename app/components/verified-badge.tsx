import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verificationPath } from "~/trust/verification-path";

/** "已认证" next to an organisation whose credit code and licence a platform admin checked. */
export function VerifiedBadge({ verifiedAt }: { verifiedAt: Date | string | null | undefined }) {
  const { t } = useTranslation("verification");
  if (!verifiedAt) return null;
  return (
    <span className="chip chip-verified" title={t("badge.title")}>
      ✓ {t("badge.label")}
    </span>
  );
}

/** The way out of the first-booking rule: the organisation's verification page. */
export function VerificationWayOut({ organizationId }: { organizationId: string | undefined }) {
  const { t } = useTranslation("verification");
  if (!organizationId) return null;
  return (
    <p>
      {t("refusal.wayOut")} <Link to={verificationPath(organizationId)}>{t("refusal.link")}</Link>
    </p>
  );
}
