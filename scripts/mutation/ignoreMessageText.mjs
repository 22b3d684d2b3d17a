// A Stryker ignore-plugin: text meant for a reader (log lines, error messages and their hints) is
// not mutated. A partner's tests cannot tell one wording from another, so such mutants only dilute
// the score; the codes, keys, SQL and values around them are mutated as usual.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** Object keys and variable names whose value is text for a reader. */
const MESSAGE_NAMES = /^(message|hint|reason|description)$/i;
/** Logger methods (pino's and the console's). */
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'log']);

const nameOf = (node) =>
  node?.type === 'Identifier' ? node.name : node?.type === 'StringLiteral' ? node.value : undefined;

function isReaderText(path) {
  const { node, parent } = path;
  if (parent?.type === 'ObjectProperty' && parent.value === node) {
    return MESSAGE_NAMES.test(nameOf(parent.key) ?? '');
  }
  if (parent?.type === 'VariableDeclarator' && parent.init === node) {
    return MESSAGE_NAMES.test(nameOf(parent.id) ?? '');
  }
  if (parent?.type === 'NewExpression' && parent.arguments.includes(node)) {
    return /Error$/.test(nameOf(parent.callee) ?? '');
  }
  if (parent?.type === 'CallExpression' && parent.arguments.includes(node)) {
    const callee = parent.callee;
    // fail(code, message): the contract's failures.
    if (nameOf(callee) === 'fail') return parent.arguments.indexOf(node) === 1;
    if (callee.type === 'MemberExpression') return LOG_METHODS.has(nameOf(callee.property) ?? '');
  }
  return false;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      return isReaderText(path) ? 'text for a reader (a log line or an error message)' : undefined;
    },
  }),
];
