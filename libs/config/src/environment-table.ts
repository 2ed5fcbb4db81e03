import { ENVIRONMENT, type VariableName } from './environment';

export const TABLE_BEGIN =
  '<!-- environment table: generated from libs/config/src/environment.ts -->';
export const TABLE_END = '<!-- end of environment table -->';

/** The Markdown table of docs/operations.md "Environment", from the schema. */
export function environmentTable(): string {
  const rows = (Object.keys(ENVIRONMENT) as VariableName[]).map((name) => {
    const variable = ENVIRONMENT[name] as { type: string; default?: string; doc: string };
    const fallback = variable.default === undefined ? '' : `\`${variable.default}\``;
    return `| \`${name}\` | ${variable.type} | ${fallback} | ${variable.doc} |`;
  });
  return [
    TABLE_BEGIN,
    '| variable | type | default | what it does |',
    '|---|---|---|---|',
    ...rows,
    TABLE_END,
  ].join('\n');
}
