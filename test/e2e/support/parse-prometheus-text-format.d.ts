/** The parser ships no types: what the operations specs use of it (a prom2json-like list of families). */
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
