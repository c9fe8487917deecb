import { namespacesOf } from "./namespaces";

/** Every Chinese namespace: one chunk, which the browser loads only for a page shown in Chinese. */
export default namespacesOf(import.meta.glob("./zh-CN/*.json", { eager: true }));
