import { namespacesOf } from "./namespaces";

/** Every English namespace: one chunk, which the browser loads only for a page shown in English. */
export default namespacesOf(import.meta.glob("./en/*.json", { eager: true }));
