// The monthly report's charts (functions/adapters/report-html.ts) use vega and vega-lite, which
// ship as ES modules only (with d3 and a few more): jest compiles them to CommonJS like our own
// code. vega-canvas's Node build probes for the optional `canvas` package with a top-level await,
// which CommonJS cannot hold; its browser build is the same code without the probe, and neither
// finds a canvas here (text is measured by estimate either way), so tests load that one.
exports.esmPackages = {
  transform: ['vega', 'vega-[a-z-]+', 'd3-[a-z-]+', 'delaunator', 'internmap', 'robust-predicates', 'json-stringify-pretty-compact'].join('|'),
  moduleNameMapper: { '^vega-canvas$': '<rootDir>/node_modules/vega-canvas/build/vega-canvas.browser.js' },
};
