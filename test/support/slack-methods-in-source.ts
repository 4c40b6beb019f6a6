/**
 * The Slack Web API methods a source tree calls, found by parsing it (TypeScript's parser, no type
 * checking): calls through a Slack client (`deps.slack.chat.postMessage(…)`, Bolt's
 * `client.views.open(…)`), `apiCall('method', …)`, @slack/web-api helpers that call several
 * methods (`filesUploadV2`), and a method URL built by hand (`new URL('auth.test', SLACK_API_URL)`).
 * A name counts as a method when a real WebClient has it, so `layer.users.includes(…)` does not;
 * without types, a chain ending like a method counts wherever it is called (`channel.pins.add(ts)`
 * on a Set would), which only ever asks for more than the bot needs.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import ts from 'typescript';

/** @slack/web-api helpers and the methods they call (filesUploadV2: the V2 upload flow). */
const HELPERS: ReadonlyMap<string, readonly string[]> = new Map([['filesUploadV2', ['files.getUploadURLExternal', 'files.completeUploadExternal']]]);

/** Client calls whose first argument names the method. */
const BY_NAME = new Set(['apiCall', 'paginate']);

const client = new WebClient();

/** Whether `segments` (`['usergroups', 'users', 'update']`) name a Web API method of the client. */
function isMethod(segments: readonly string[]): boolean {
  if (segments.length < 2) return false;
  let node: unknown = client;
  for (const segment of segments) {
    // Own properties only: the client's method namespaces, not `toString` and other inherited names.
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return false;
    node = Reflect.get(node, segment);
  }
  return typeof node === 'function';
}

/** `deps.slack!.chat.postMessage` → `['deps', 'slack', 'chat', 'postMessage']`; undefined for other callees. */
function calleePath(expression: ts.Expression): string[] | undefined {
  const names: string[] = [];
  let node = expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(node)) {
      names.unshift(node.name.text);
      node = node.expression;
    } else if (ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) {
      node = node.expression;
    } else {
      break;
    }
  }
  if (ts.isIdentifier(node)) names.unshift(node.text);
  return names.length > 0 ? names : undefined;
}

function methodsOfCall(call: ts.CallExpression): string[] {
  const names = calleePath(call.expression);
  if (!names) return [];
  const last = names.at(-1) ?? '';
  const helper = HELPERS.get(last);
  if (helper) return [...helper];
  const first = call.arguments[0];
  if (BY_NAME.has(last) && first && ts.isStringLiteralLike(first)) return isMethod(first.text.split('.')) ? [first.text] : [];
  // The longest tail of the chain that is a method: `deps.slack.chat.postMessage` → chat.postMessage.
  for (let start = 0; start < names.length - 1; start++) {
    const tail = names.slice(start);
    if (isMethod(tail)) return [tail.join('.')];
  }
  return [];
}

function methodsOfNew(expression: ts.NewExpression): string[] {
  const first = expression.arguments?.[0];
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== 'URL' || !first || !ts.isStringLiteralLike(first)) return [];
  return isMethod(first.text.split('.')) ? [first.text] : [];
}

function methodsInFile(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) found.push(...methodsOfCall(node));
    if (ts.isNewExpression(node)) found.push(...methodsOfNew(node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

async function typescriptFiles(dir: string, skip: ReadonlySet<string>): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (skip.has(full)) return [];
      if (entry.isDirectory()) return typescriptFiles(full, skip);
      return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    }),
  );
  return files.flat();
}

/** Every Slack Web API method the `.ts` files under `dir` call (folders or files in `skip` left out), sorted. */
export async function slackMethodsInSource(dir: string, skip: readonly string[] = []): Promise<string[]> {
  const files = await typescriptFiles(dir, new Set(skip));
  const found = await Promise.all(files.map(async (file) => methodsInFile(file, await readFile(file, 'utf8'))));
  return [...new Set(found.flat())].sort();
}
