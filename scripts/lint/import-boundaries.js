// ESLint rule `boundaries/imports`: which modules a file may import, judged on the *resolved* target — a relative
// specifier becomes a repo path (app/rpc/contract.ts), a bare one stays a package name (electron, node:fs).
// It sees every way in: `import x from`, `import 'x'` (side effect), `export … from`, `import()`, `require()`.
// ESLint's no-restricted-imports matches raw specifiers and skips import(), so `../rpc/x` vs `../../app/rpc/x`
// and dynamic imports would each need their own pattern; resolving once keeps every boundary one line in
// eslint.config.js. Options: { deny: [{ target: regex source, message, allowTypeImports? }] }.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The repo path (forward slashes) a relative specifier points at, or the specifier itself for a package. */
export function importTarget(filename, spec) {
  if (!spec.startsWith('.') && !isAbsolute(spec)) return spec;
  return relative(ROOT, resolve(dirname(filename), spec)).split('\\').join('/');
}

const typeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.type === 'ImportDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each environment (core, renderer, preload…) to the modules it may load' },
    schema: [
      {
        type: 'object',
        properties: {
          deny: {
            type: 'array',
            items: {
              type: 'object',
              properties: { target: { type: 'string' }, message: { type: 'string' }, allowTypeImports: { type: 'boolean' } },
              required: ['target', 'message'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: { denied: '{{message}} (imports "{{spec}}")' },
  },
  create(context) {
    const deny = (context.options[0]?.deny ?? []).map((d) => ({ ...d, re: new RegExp(d.target) }));
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = importTarget(context.filename, source.value);
      for (const d of deny) {
        if (!d.re.test(target) || (d.allowTypeImports && typeOnly(node))) continue;
        context.report({ node: source, messageId: 'denied', data: { message: d.message, spec: source.value } });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check({ ...n, importKind: 'type' }, n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n, n.arguments[0]);
      },
    };
  },
};

export default { rules: { imports: rule } };
