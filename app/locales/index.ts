// Every namespace of every language, bundled: the whole set is small and needs no extra request.
const files = import.meta.glob<{ default: Record<string, unknown> }>("./*/*.json", { eager: true });

export const locales: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [file, module] of Object.entries(files)) {
  const [, lng, ns] = file.match(/^\.\/([^/]+)\/([^/]+)\.json$/)!;
  (locales[lng] ??= {})[ns] = module.default;
}
