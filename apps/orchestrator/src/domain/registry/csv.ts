/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into objects keyed by the
 * header line. Empty cells are left out, so optional columns may be blank.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records = splitRecords(text);
  const [header, ...rows] = records;
  if (!header) return [];
  return rows
    .filter((cells) => cells.some((c) => c.trim() !== ''))
    .map((cells) =>
      Object.fromEntries(
        header.map((name, i) => [name.trim(), cells[i]?.trim() ?? '']).filter(([, v]) => v !== ''),
      ),
    );
}

function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    record.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) cell += ch;
    else if (ch === ',') endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) endRecord();
  return records;
}

/** CSV cells are text: numeric columns of a community row become numbers when they look like one. */
export function coerceCommunityRow(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const key of ['latitude', 'longitude', 'population']) {
    if (row[key] !== undefined && /^-?\d+(\.\d+)?$/.test(row[key])) out[key] = Number(row[key]);
  }
  return out;
}
