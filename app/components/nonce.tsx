import { createContext, useContext } from "react";

/** The per-response CSP nonce; empty in the browser, where nonces are not readable anyway. */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
