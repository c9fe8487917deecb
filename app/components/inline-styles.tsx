import { createContext, useContext } from "react";

const ID = "site-styles";

/**
 * The site's stylesheet, given by the server (entry.server) so that every page carries it in its
 * head: the first paint then waits for no second request, and happens before the scripts run
 * (decision 131). In the browser the text is the one already in the page, so hydration matches.
 */
export const StylesContext = createContext<string | null>(null);

export function InlineStyles({ nonce }: { nonce: string }) {
  const css = useContext(StylesContext) ?? (typeof document === "undefined" ? "" : (document.getElementById(ID)?.textContent ?? ""));
  return <style id={ID} nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />;
}
