import { resolve } from 'node:path';

/**
 * The UCI Online Retail log (CC BY 4.0; attribution in public/samples/README.md), as the app ships
 * it: the same bytes as shared/data/online-retail.csv.gz, so tests do not depend on where the
 * shared folder is.
 */
export const ONLINE_RETAIL = resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'online-retail.csv.gz');

/** Splits one CSV record, honouring quotes (`"a, b"`, `""` for a quote); no field of this file holds a newline. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; } else field += ch;
  }
  fields.push(field);
  return fields;
}
