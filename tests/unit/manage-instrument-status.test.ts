import { describe, expect, it } from "vitest";
import { instrumentStatuses, type InstrumentStatus } from "../../db/schema/vocabulary";
import { actionsFor, statusActions, transition, type StatusAction, type StatusActor } from "../../app/catalogue/instrument-status";

/** The whole workflow written out by hand: [from, action, actor] → to. Everything else is refused. */
const allowed: [InstrumentStatus, StatusAction, StatusActor, InstrumentStatus][] = [
  ["draft", "publish", "lab", "published"],
  ["published", "unpublish", "lab", "draft"],
  ["draft", "retire", "lab", "retired"],
  ["published", "retire", "lab", "retired"],
  ["published", "suspend", "platform", "suspended"],
  ["suspended", "lift", "platform", "published"],
];

const actors: StatusActor[] = ["lab", "platform"];

describe("instrument status transitions", () => {
  const cases = instrumentStatuses.flatMap((from) => statusActions.flatMap((action) => actors.map((actor) => [from, action, actor] as const)));

  it("covers every status × action × actor", () => {
    expect(cases).toHaveLength(4 * 5 * 2);
  });

  it.each(cases)("%s --%s (%s)", (from, action, actor) => {
    const rule = allowed.find(([f, a, who]) => f === from && a === action && who === actor);
    const result = transition(from, action, actor);
    if (rule) expect(result).toEqual({ ok: true, to: rule[3] });
    else expect(result.ok).toBe(false);
  });

  it("tells a lab that only the platform suspends, before looking at the status", () => {
    expect(transition("published", "suspend", "lab")).toEqual({ ok: false, error: "manage:status.errors.wrongActor" });
    expect(transition("suspended", "lift", "lab")).toEqual({ ok: false, error: "manage:status.errors.wrongActor" });
    expect(transition("draft", "publish", "platform")).toEqual({ ok: false, error: "manage:status.errors.wrongActor" });
  });

  it("refuses a move from the wrong status as not allowed", () => {
    expect(transition("draft", "suspend", "platform")).toEqual({ ok: false, error: "manage:status.errors.notAllowed" });
    expect(transition("retired", "publish", "lab")).toEqual({ ok: false, error: "manage:status.errors.notAllowed" });
    expect(transition("suspended", "publish", "lab")).toEqual({ ok: false, error: "manage:status.errors.notAllowed" });
    expect(transition("suspended", "retire", "lab")).toEqual({ ok: false, error: "manage:status.errors.notAllowed" });
  });

  it("lists the buttons each side gets", () => {
    expect(actionsFor("draft", "lab")).toEqual(["publish", "retire"]);
    expect(actionsFor("published", "lab")).toEqual(["unpublish", "retire"]);
    expect(actionsFor("suspended", "lab")).toEqual([]);
    expect(actionsFor("retired", "lab")).toEqual([]);
    expect(actionsFor("published", "platform")).toEqual(["suspend"]);
    expect(actionsFor("suspended", "platform")).toEqual(["lift"]);
    expect(actionsFor("draft", "platform")).toEqual([]);
  });
});
