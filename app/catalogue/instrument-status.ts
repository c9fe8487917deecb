import { instrumentStatuses, type InstrumentStatus } from "../../db/schema/vocabulary";

/**
 * The listing workflow draft → published → suspended / retired as a table. Lab staff move their
 * own listings; only the platform suspends one and lifts a suspension.
 */

export const statusActions = ["publish", "unpublish", "retire", "suspend", "lift"] as const;
export type StatusAction = (typeof statusActions)[number];

/** Who asks: the lab (lab staff or institution admin) or the platform (platform admin). */
export type StatusActor = "lab" | "platform";

export const statusTransitions: Record<StatusAction, { from: readonly InstrumentStatus[]; to: InstrumentStatus; actor: StatusActor }> = {
  publish: { from: ["draft"], to: "published", actor: "lab" },
  unpublish: { from: ["published"], to: "draft", actor: "lab" },
  retire: { from: ["draft", "published"], to: "retired", actor: "lab" },
  suspend: { from: ["published"], to: "suspended", actor: "platform" },
  lift: { from: ["suspended"], to: "published", actor: "platform" },
};

export type TransitionResult =
  | { ok: true; to: InstrumentStatus }
  | { ok: false; error: "manage:status.errors.notAllowed" | "manage:status.errors.wrongActor" };

export function transition(from: InstrumentStatus, action: StatusAction, actor: StatusActor): TransitionResult {
  const rule = statusTransitions[action];
  if (rule.actor !== actor) return { ok: false, error: "manage:status.errors.wrongActor" };
  if (!rule.from.includes(from)) return { ok: false, error: "manage:status.errors.notAllowed" };
  return { ok: true, to: rule.to };
}

/** The actions this actor may take on a listing in this status, in table order (for buttons). */
export function actionsFor(status: InstrumentStatus, actor: StatusActor): StatusAction[] {
  return statusActions.filter((a) => transition(status, a, actor).ok);
}

export const isInstrumentStatus = (value: unknown): value is InstrumentStatus =>
  instrumentStatuses.includes(value as InstrumentStatus);
