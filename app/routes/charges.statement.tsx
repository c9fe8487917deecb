import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireChargeHolder } from "~/accounts/authz.server";
import { statementLoader } from "~/billing/statement-page.server";
import { StatementView } from "~/components/statement";

export const handle = { i18n: ["common", "finance"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The customer organisation's monthly statement (?month=YYYY-MM, &format=xlsx; ?org= when the viewer belongs to several). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { organizationIds } = await requireChargeHolder(request);
  const asked = new URL(request.url).searchParams.get("org");
  const organizationId = asked && organizationIds.includes(asked) ? asked : organizationIds[0]!;
  return statementLoader(request, "customer", organizationId);
}

export default function CustomerStatement() {
  const { statement, xlsxHref } = useLoaderData<typeof loader>();
  return <StatementView statement={statement} xlsxHref={xlsxHref} />;
}
