import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { addPhotos, movePhoto, readPhotoForm, removePhoto } from "~/catalogue/manage-photos.server";
import { MAX_PHOTOS } from "~/catalogue/photos.server";
import { instrumentForEdit, instrumentLabId } from "~/catalogue/manage.server";
import { thumbnailUrl } from "~/catalogue/photo-urls";
import { CsrfInput, SubmitButton } from "~/components/forms";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

async function authorize(request: Request, id: string | undefined) {
  const labId = await instrumentLabId(id);
  if (!labId) throw notFound();
  await requireLabStaff(request, labId);
  return id!;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = await authorize(request, params.id);
  const [page, t] = await Promise.all([instrumentForEdit(id), i18nServer.getFixedT(request, "manage")]);
  if (!page) throw notFound();
  return { title: `${page.instrument.nameZh} · ${t("photos.title")} · OpenLab`, instrument: page.instrument, lab: page.lab, maxPhotos: MAX_PHOTOS };
}

const buttonSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("upload") }),
  z.object({ intent: z.literal("delete"), url: z.string().min(1).max(300) }),
  z.object({ intent: z.enum(["up", "down"]), url: z.string().min(1).max(300) }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const id = await authorize(request, params.id);
  const read = await readPhotoForm(request);
  if ("tooLarge" in read) return data({ errors: { photo: "manage:photos.errors.tooLarge" } }, { status: 400 });
  const parsed = buttonSchema.safeParse(Object.fromEntries([...read.form].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) return data({ errors: { photo: "validation.invalid" } }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "manage");
  const back = async (notice: string) =>
    redirect(`/manage/instruments/${id}/photos`, { headers: { "Set-Cookie": await flashNotice(request, notice) } });
  const button = parsed.data;
  if (button.intent === "upload") {
    const result = await addPhotos(id, read.files);
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return back(t("photos.uploaded", { count: read.files.length }));
  }
  if (button.intent === "delete") {
    if (!(await removePhoto(id, button.url))) throw notFound();
    return back(t("photos.deleted"));
  }
  if (!(await movePhoto(id, button.url, button.intent))) return data({ errors: { photo: "manage:photos.errors.cannotMove" } }, { status: 400 });
  return back(t("photos.moved"));
}

export default function InstrumentPhotos() {
  const { instrument, lab, maxPhotos: MAX } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  const name = localName(instrument, locale);
  const full = instrument.photos.length >= MAX;
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("breadcrumbs")}>
        <Link to="/manage">{t("dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        <Link to={`/manage/instruments/${instrument.id}`}>{name}</Link> / {t("photos.title")}
      </nav>
      <h1>{t("photos.heading", { name })}</h1>
      <p className="lead-muted">{t("photos.lead", { max: MAX })}</p>

      <Form key={instrument.photos.join()} method="post" encType="multipart/form-data" className="panel photo-upload">
        <CsrfInput />
        <div className={`field${result?.errors.photo ? " field-invalid" : ""}`}>
          <label htmlFor="photo-input">{t("photos.choose")}</label>
          <input
            id="photo-input"
            type="file"
            name="photo"
            accept="image/jpeg,image/png,image/webp"
            multiple
            disabled={full}
            aria-describedby={`photo-hint${result?.errors.photo ? " photo-error" : ""}`}
            aria-invalid={result?.errors.photo ? true : undefined}
          />
          <p className="field-hint" id="photo-hint">
            {full ? t("photos.full", { max: MAX }) : t("photos.hint", { count: instrument.photos.length, max: MAX })}
          </p>
          {result?.errors.photo ? (
            <p className="field-error" id="photo-error" role="alert">
              {t(result.errors.photo)}
            </p>
          ) : null}
        </div>
        <SubmitButton name="intent" value="upload" {...(full ? { disabled: true } : {})} busyLabel={t("photos.uploading")}>
          {t("photos.upload")}
        </SubmitButton>
      </Form>

      {instrument.photos.length === 0 ? (
        <p className="empty">{t("photos.empty")}</p>
      ) : (
        <ol className="photo-grid">
          {instrument.photos.map((url, i) => (
            <li key={url} className="photo-tile">
              <img src={thumbnailUrl(url)} alt={t("photos.alt", { n: i + 1, name })} loading="lazy" />
              {i === 0 ? <span className="chip photo-cover">{t("photos.cover")}</span> : null}
              <Form method="post" className="photo-actions">
                <CsrfInput />
                <input type="hidden" name="url" value={url} />
                <button type="submit" name="intent" value="up" className="button button-secondary button-compact" disabled={i === 0} aria-label={t("photos.moveUpLabel", { n: i + 1 })}>
                  ←
                </button>
                <button type="submit" name="intent" value="down" className="button button-secondary button-compact" disabled={i === instrument.photos.length - 1} aria-label={t("photos.moveDownLabel", { n: i + 1 })}>
                  →
                </button>
                <button type="submit" name="intent" value="delete" className="button button-secondary button-compact button-delete" aria-label={t("photos.deleteLabel", { n: i + 1 })}>
                  {t("photos.delete")}
                </button>
              </Form>
            </li>
          ))}
        </ol>
      )}
      <p>
        <Link to={`/manage/instruments/${instrument.id}`}>{t("photos.back")}</Link>
      </p>
    </section>
  );
}
