/** One language's strings: namespace → nested keys. */
export type Namespaces = Record<string, Record<string, unknown>>;

/** `./<language>/<namespace>.json` modules, as `import.meta.glob` hands them over, by namespace. */
export function namespacesOf(files: Record<string, { default: Record<string, unknown> }>): Namespaces {
  return Object.fromEntries(Object.entries(files).map(([file, module]) => [file.match(/([^/]+)\.json$/)![1]!, module.default]));
}
