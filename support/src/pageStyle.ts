// The look the project's pages share: the reference server's connect pages and the mock Heap's
// Developer Hub. Each page adds only its width and what is its own.
export const PAGE_STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 3rem auto; padding: 0 1rem; color: #1f2330; }
  h1 { font-size: 1.8rem; margin-bottom: .5rem; }
  h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #e3e1ef; padding-bottom: .25rem; }
  button { font: inherit; padding: .45rem 1.1rem; border: 0; border-radius: .4rem; background: #5a3fd6; color: #fff; cursor: pointer; }
  button:hover { background: #4a31b8; }
  input, select { font: inherit; padding: .3rem .5rem; border: 1px solid #c9c6da; border-radius: .3rem; }
  code, output { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
  a { color: #5a3fd6; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dt { font-weight: 600; }
  table { border-collapse: collapse; margin: .75rem 0; width: 100%; }
  caption { caption-side: top; text-align: left; color: #5b5f6e; padding-bottom: .4rem; }
  th, td { border-bottom: 1px solid #e3e1ef; padding: .4rem .6rem; text-align: left; vertical-align: top; }
  th { font-weight: 600; background: #f6f5fb; }
  time, .nowrap { white-space: nowrap; font-variant-numeric: tabular-nums; }
  [role="status"] { background: #eef6ee; border-radius: .4rem; padding: .5rem .75rem; }
  .error { color: #a3152a; }
`;
