import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireInstitutionFinance } from "~/accounts/authz.server";
import { statementLoader } from "~/billing/statement-page.server";
import { StatementView } from "~/components/statement";

export const handle = { i18n: ["common", "finance"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The provider institution's monthly statement (?month=YYYY-MM, &format=xlsx). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionFinance(request, params.orgId ?? "");
  return statementLoader(request, "provider", params.orgId!);
}

export default function ProviderStatement() {
  const { statement, xlsxHref } = useLoaderData<typeof loader>();
  return <StatementView statement={statement} xlsxHref={xlsxHref} />;
}
