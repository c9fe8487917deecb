// Building an Intl formatter allocates ICU objects outside the JS heap, which the garbage collector
// neither counts nor hurries to free: built anew for every date and amount on a page, they held
// about a hundred MB of the server's memory. Formatters never change once built, so one per locale
// and options is kept and shared.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
/** Locales × options × lab time zones stay few; the bound only guards against the unforeseen. */
const MAX_FORMATTERS = 1_000;

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, build: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, (f = build()));
  }
  return f;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}
