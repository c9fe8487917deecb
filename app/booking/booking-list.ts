// "My bookings" as two tabs: what is still under way, soonest first, and what has ended, latest
// first; each in pages, so a customer with years of bookings reaches every one of them.
import { bookingStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";

/** Bookings still under way: holding the instrument's time, or a sample job the lab has not finished. */
export const currentStatuses = [
  "requested",
  "confirmed",
  "in_use",
  "accepted",
  "samples_received",
  "in_testing",
  "report_issued",
] as const satisfies readonly BookingStatus[];

export const historyStatuses = bookingStatuses.filter((s) => !(currentStatuses as readonly BookingStatus[]).includes(s));

export const bookingListViews = ["current", "history"] as const;
export type BookingListView = (typeof bookingListViews)[number];

export const MY_BOOKINGS_PAGE_SIZE = 50;

/** The tab a list opens on: a status filter opens the tab that holds that status, else the tab asked for, else "current". */
export function viewOf(status: BookingStatus | null, view: BookingListView | null): BookingListView {
  if (status) return (currentStatuses as readonly BookingStatus[]).includes(status) ? "current" : "history";
  return view ?? "current";
}

/** How many bookings each tab holds, and how many the list shows, from the count per status. */
export function listCounts(perStatus: ReadonlyMap<BookingStatus, number>, view: BookingListView, status: BookingStatus | null) {
  const sum = (statuses: readonly BookingStatus[]) => statuses.reduce((n, s) => n + (perStatus.get(s) ?? 0), 0);
  const tabs = { current: sum(currentStatuses), history: sum(historyStatuses) };
  return { tabs, total: status ? (perStatus.get(status) ?? 0) : tabs[view] };
}

/** The list's address for a tab, status and page; the first page and an empty filter are left out. */
export function bookingListHref(view: BookingListView, status: BookingStatus | null, page = 1): string {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  else if (view !== "current") params.set("view", view);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "?";
}
