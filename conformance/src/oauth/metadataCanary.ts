// The HTML canary the provider puts in a metadata `authorized_by`, and how to see it became markup.
// It has no double quote, so it survives JSON.stringify unchanged and is found in either form.

/** The canary for one flow: an element and a script, both carrying the flow's marker. */
export function metadataCanary(marker: string): string {
  return `pam@example.co<b id='oauth-canary-${marker}'>canary</b><script>window.oauthCanary='${marker}'</script>`;
}

/** The global a page that ran the canary's script holds. */
export const CANARY_GLOBAL = 'oauthCanary';

/** Null when `html` holds the canary only as text, else what of it is raw markup. */
export function canaryMarkupIn(html: string, marker: string): string | null {
  if (html.includes(`<script>window.oauthCanary='${marker}'`)) return 'a raw <script> element';
  if (html.includes(`<b id='oauth-canary-${marker}'`)) return 'a raw <b> element';
  return null;
}
