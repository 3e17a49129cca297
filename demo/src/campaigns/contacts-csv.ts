/**
 * Contacts as CSV text, pasted or read from a file, sent as it is: the server reads it. This only
 * catches, before anything is created, what the server would certainly refuse.
 */

/** The columns the server takes a contact's number from. */
const NUMBER_COLUMNS = ['number', 'phone'];

function headerCells(line: string): string[] {
  return line
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

/** Whether the text holds nothing (no contacts given). */
export function isBlankCsv(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** What would make the server refuse the CSV outright, or `undefined`. */
export function csvProblem(text: string): string | undefined {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [header] = lines;
  if (header === undefined) return 'no contacts: paste a CSV or choose a .csv file';
  const cells = headerCells(header);
  if (!cells.some((cell) => NUMBER_COLUMNS.includes(cell))) {
    return `the first line names the columns, one of them number (or phone), in lower case; it reads: ${header.trim()}`;
  }
  if (lines.length < 2) return 'only a header line: one contact per line goes under it';
  return undefined;
}
