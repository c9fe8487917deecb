import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { routeMatrix } from "../support/route-matrix";

/**
 * Keeps the authorization matrix honest: every route module has an entry, every entry has a module,
 * and every exported loader/action calls an authorization function (require…/allow…) of
 * ~/accounts/authz.server — directly or through a function of the same file.
 */
const routesDir = path.resolve("app/routes");
const authzFile = path.resolve("app/accounts/authz.server.ts");
const MATRIX = "tests/support/route-matrix.ts";

/** Route id (matrix key) → module file, for flat files and folder routes (folder/route.tsx). */
function routeModules(): Map<string, string> {
  const modules = new Map<string, string>();
  for (const name of readdirSync(routesDir)) {
    const full = path.join(routesDir, name);
    if (statSync(full).isDirectory()) {
      const route = readdirSync(full).find((f) => /^route\.(tsx?|jsx?)$/.test(f));
      if (route) modules.set(name, path.join(full, route));
    } else if (/\.(tsx?|jsx?)$/.test(name) && !/\.(test|spec)\./.test(name) && !name.startsWith(".")) {
      modules.set(name.replace(/\.(tsx?|jsx?)$/, ""), full);
    }
  }
  return modules;
}

function parse(file: string) {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
}

function authorizationFunctions(): Set<string> {
  const names = new Set<string>();
  for (const s of parse(authzFile).statements) {
    const exported = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(s) && s.name) names.add(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
  }
  return new Set([...names].filter((n) => /^(require|allow)[A-Z]/.test(n)));
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);

/** Problems with one route module's authorization, as readable sentences. */
function checkModule(file: string, authz: Set<string>): string[] {
  const source = parse(file);
  const problems: string[] = [];
  const imported = new Set<string>(); // local names bound to authorization functions
  const locals = new Map<string, ts.Node>(); // same-file functions, followed transitively
  const handlers = new Map<string, ts.Node>();

  for (const s of source.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /accounts\/authz\.server$/.test(s.moduleSpecifier.text)) {
      const bindings = s.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (authz.has((el.propertyName ?? el.name).text)) imported.add(el.name.text);
      }
    }
    if (ts.isFunctionDeclaration(s) && s.name) {
      locals.set(s.name.text, s);
      if (isExported(s) && (s.name.text === "loader" || s.name.text === "action")) handlers.set(s.name.text, s);
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        locals.set(d.name.text, d.initializer);
        if (isExported(s) && (d.name.text === "loader" || d.name.text === "action")) handlers.set(d.name.text, d.initializer);
      }
    }
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) {
        if (el.name.text !== "loader" && el.name.text !== "action") continue;
        if (s.moduleSpecifier) problems.push(`re-exports ${el.name.text} from another module; define it here so it can be checked`);
        else {
          const local = locals.get((el.propertyName ?? el.name).text);
          if (local) handlers.set(el.name.text, local);
        }
      }
    }
  }

  if (handlers.size > 0 && imported.size === 0) {
    problems.push(`does not import an authorization function (${[...authz].join(", ")}) from "~/accounts/authz.server"`);
    return problems;
  }

  const callsAuthz = (node: ts.Node, seen: Set<string>): boolean => {
    let found = false;
    const visit = (n: ts.Node) => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const name = n.expression.text;
        if (imported.has(name)) return void (found = true);
        const local = locals.get(name);
        if (local && !seen.has(name)) {
          seen.add(name);
          if (callsAuthz(local, seen)) return void (found = true);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };

  for (const [name, node] of handlers) {
    if (!callsAuthz(node, new Set([name]))) {
      problems.push(`exported ${name} never calls an authorization function (${[...authz].join(", ")})`);
    }
  }
  return problems;
}

describe("authorization matrix", () => {
  const modules = routeModules();

  it("finds the route modules and the authorization functions", () => {
    expect(modules.size).toBeGreaterThan(0);
    expect(authorizationFunctions().size).toBeGreaterThan(0);
  });

  it("has an entry for every route module", () => {
    const missing = [...modules]
      .filter(([id]) => !(id in routeMatrix))
      .map(([id, file]) => `${path.relative(process.cwd(), file)} has no entry in ${MATRIX}: add "${id}": { path, expect: {…} }`);
    expect(missing, missing.join("\n")).toEqual([]);
  });

  it("names only route modules that exist", () => {
    const stale = Object.keys(routeMatrix)
      .filter((id) => !modules.has(id))
      .map((id) => `${MATRIX} has an entry "${id}" but app/routes/${id}.tsx (or .ts, or ${id}/route.tsx) does not exist`);
    expect(stale, stale.join("\n")).toEqual([]);
  });

  it("gives every entry a sample request", () => {
    const bad = Object.entries(routeMatrix)
      .filter(([, e]) => !e.path === !e.resolve)
      .map(([id]) => `${MATRIX}: "${id}" needs exactly one of path or resolve`);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  it("calls an authorization function in every exported loader and action", () => {
    const authz = authorizationFunctions();
    const problems = [...modules].flatMap(([, file]) =>
      checkModule(file, authz).map((p) => `${path.relative(process.cwd(), file)} ${p}`),
    );
    expect(problems, problems.join("\n")).toEqual([]);
  });
});
