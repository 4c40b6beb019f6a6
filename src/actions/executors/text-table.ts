const MAX_CELL = 200;

/** Rows as an aligned plain-text table with a header line. */
export function textTable(columns: string[], rows: string[][]): string {
  const cell = (text: string) => {
    const flat = text.replace(/\r?\n/g, '⏎');
    return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
  };
  const body = rows.map((row) => row.map(cell));
  const head = columns.map(cell);
  const widths = head.map((name, index) => Math.max(name.length, ...body.map((row) => row[index]?.length ?? 0)));
  const line = (row: string[]) => row.map((text, index) => text.padEnd(widths[index] ?? 0)).join(' | ').trimEnd();
  return [line(head), widths.map((width) => '-'.repeat(width)).join('-+-'), ...body.map(line)].join('\n');
}
