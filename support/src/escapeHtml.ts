// Escapes text for HTML element content and quoted attribute values: every page the project
// renders (the server's, the Developer Hub's, the conformance report) goes through it. Control
// characters, which a partner's answer may carry and HTML cannot show, are dropped.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(CONTROL, '')
    .replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}
