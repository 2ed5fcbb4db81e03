/**
 * Writes an ExportWorkbook as .xlsx with a writer of our own (issue 13; docs/benchmarks.md "Export, our own
 * xlsx writer"): a minimal OOXML package ([Content_Types].xml, _rels, docProps, workbook, styles, one part
 * per sheet) streamed through zip-writer.ts, each sheet written row by row with inline strings, so what the
 * writer holds is one buffer of sheet XML (XML_CHUNK_CHARS) and zlib's window, whatever the ledger's size.
 * exceljs (the writer before) never applied back-pressure and held a sheet's XML undeflated in memory.
 *
 * The layout is the one a finance officer can sum, filter and print (docs/decisions.md, "Finance workbook"),
 * the same cells and styles exceljs wrote:
 * - one header row (Chinese), frozen, with an autofilter over header and data;
 * - amounts as number cells `#,##0.00` (built-in format 4), times as date cells in Asia/Shanghai, counts as
 *   numbers, identifiers and free text as inline string cells (t="inlineStr", never a formula);
 * - below the data, one blank row, then a totals row of SUBTOTAL(109, …) formulas that follow the filter,
 *   each stored with its cached result computed exactly by us (for readers that do not recalculate);
 * - landscape, fit to page width, header row repeated on every printed page;
 * - document properties and a 说明 sheet: as-of, log position, seal.
 */
import { PassThrough, type Writable } from 'node:stream';
import {
  integerCellNumber,
  monthStart,
  moneyCellNumber,
  sanitizeText,
  shanghaiLocalTime,
  shanghaiText,
} from './cell-values';
import type { CellValue, Column, ColumnKind, ExportWorkbook, Row, Sheet } from './workbook';
import { ZipWriter, type ZipEntry } from './zip-writer';

export const HEADER_ROWS = 1;
export const TOTALS_LABEL_ZH = '合计（随筛选）';
export const NOTES_SHEET_TITLE = '说明';

export const MONEY_FORMAT = '#,##0.00';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const MONTH_FORMAT = 'yyyy-mm';

/** Rows sampled to size a column: enough to see every identifier shape without scanning a million rows. */
const WIDTH_SAMPLE_ROWS = 2000;
const PAPER_A4 = 9;
const PAPER_A3 = 8;
const A4_LANDSCAPE_WIDTH = 170;
/** Sheet XML gathered before it is handed to the zip (and waited on): a few hundred rows. */
const XML_CHUNK_CHARS = 64 * 1024;

/**
 * The cell formats (styles.xml cellXfs), by index. Built-in number formats: 0 General, 1 '0', 4 '#,##0.00',
 * 49 '@'; 164–166 are declared. Dates centred, identifiers and amounts kept off their neighbours by an
 * indent. Free text is not wrapped: a streaming writer cannot size row heights.
 */
const STYLE = {
  text: 1,
  id: 2,
  money: 3,
  integer: 4,
  datetime: 5,
  businessTime: 5,
  month: 6,
  date: 7,
  header: 8,
  totalsLabel: 9,
  totalsMoney: 10,
  bold: 11,
} as const;
const STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="${DATETIME_FORMAT}"/><numFmt numFmtId="165" formatCode="${MONTH_FORMAT}"/><numFmt numFmtId="166" formatCode="${DATE_FORMAT}"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/></patternFill></fill></fills><borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"/><diagonal/></border><border><left/><right/><top style="thin"/><bottom style="double"/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="12"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left" vertical="top" indent="1"/></xf><xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="right" vertical="top" indent="1"/></xf><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="right" vertical="top" indent="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf><xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="49" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="top"/></xf><xf numFmtId="4" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="right" vertical="top" indent="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>`;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';

/** Text as XML character data: markup escaped, a carriage return kept (XML would fold it into a newline). */
export function xmlText(text: string): string {
  return text.replace(/[&<>\r]/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : '&#13;',
  );
}
/** Text as an attribute value (double-quoted). */
function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/[\t\n]/g, (c) => (c === '\t' ? '&#9;' : '&#10;'));
}

/** Excel's serial day number (1900 system) of a wall-clock Date whose UTC fields are the local time. */
const excelSerial = (date: Date): number => 25569 + date.getTime() / 86_400_000;

const columnLetter = (index: number): string => {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
};

/** An inline string cell (t="inlineStr"): text, whatever it starts with; no spreadsheet evaluates it. */
function inlineCell(ref: string, style: number, text: string): string {
  const s = style === 0 ? '' : ` s="${style}"`;
  return `<c r="${ref}"${s} t="inlineStr"><is><r><t xml:space="preserve">${xmlText(sanitizeText(text))}</t></r></is></c>`;
}
/** A string cell (t="str") for the header and the totals label: read back as plain strings. */
const stringCell = (ref: string, style: number, text: string): string =>
  `<c r="${ref}" s="${style}" t="str"><v>${xmlText(text)}</v></c>`;
const numberCell = (ref: string, style: number, value: number): string =>
  `<c r="${ref}" s="${style}"><v>${String(value)}</v></c>`;

/** A data cell's XML as the column's kind stores it, or '' for an empty value. */
export function xlsxCellXml(kind: ColumnKind, ref: string, value: CellValue | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const style = STYLE[kind];
  switch (kind) {
    case 'money':
      return numberCell(ref, style, moneyCellNumber(String(value)));
    case 'integer': {
      const number = integerCellNumber(value);
      return number === null
        ? inlineCell(ref, style, String(value))
        : numberCell(ref, style, number);
    }
    case 'datetime':
    case 'businessTime': {
      const local = shanghaiLocalTime(String(value));
      if (local === null) return inlineCell(ref, style, String(value));
      return numberCell(ref, local.hasTime ? style : STYLE.date, excelSerial(local.wallClock));
    }
    case 'month': {
      const start = monthStart(String(value));
      return start === null
        ? inlineCell(ref, style, String(value))
        : numberCell(ref, style, excelSerial(start));
    }
    default:
      return inlineCell(ref, style, String(value));
  }
}

/** Sheet XML gathered and handed to the zip entry in chunks of XML_CHUNK_CHARS. */
class SheetXml {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly entry: ZipEntry) {}

  async add(xml: string): Promise<void> {
    this.parts.push(xml);
    this.chars += xml.length;
    if (this.chars >= XML_CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    await this.entry.write(text);
  }
}

interface SheetPart {
  readonly title: string;
  readonly file: string;
  readonly printTitles: boolean;
}

/**
 * Writes the workbook to `stream` and ends it; resolves when the stream finished. Each write waits for the
 * stream to take what it was given, and the writer fails (rejects) as soon as the stream errors or closes.
 */
export async function writeWorkbookXlsx(workbook: ExportWorkbook, stream: Writable): Promise<void> {
  // Entries are dated with the generation time, Beijing wall clock: two writes of one workbook are the same bytes.
  const generated = shanghaiLocalTime(workbook.generatedAt);
  const zip = new ZipWriter(stream, { modified: generated?.wallClock });
  const parts: SheetPart[] = [
    ...workbook.sheets.map((sheet, index) => ({
      title: sheet.title,
      file: `sheet${index + 1}.xml`,
      printTitles: true,
    })),
    {
      title: NOTES_SHEET_TITLE,
      file: `sheet${workbook.sheets.length + 1}.xml`,
      printTitles: false,
    },
  ];
  await zip.file('[Content_Types].xml', contentTypes(parts));
  await zip.file('_rels/.rels', packageRels());
  await zip.file('docProps/core.xml', coreProperties(workbook));
  await zip.file('docProps/app.xml', appProperties(parts));
  await zip.file('xl/workbook.xml', workbookXml(parts));
  await zip.file('xl/_rels/workbook.xml.rels', workbookRels(parts));
  await zip.file('xl/styles.xml', STYLES_XML);
  for (const [index, sheet] of workbook.sheets.entries())
    await writeSheet(zip, `xl/worksheets/${parts[index]!.file}`, sheet, workbook);
  await writeNotesSheet(zip, `xl/worksheets/${parts[parts.length - 1]!.file}`, workbook);
  await zip.finish();
}

/** The whole file in memory: for the audit pack and tests. */
export async function workbookToXlsx(workbook: ExportWorkbook): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeWorkbookXlsx(workbook, sink);
  await finished;
  return Buffer.concat(chunks);
}

function contentTypes(parts: readonly SheetPart[]): string {
  const sheets = parts
    .map(
      (part) =>
        `<Override PartName="/xl/worksheets/${part.file}" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  return `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/>${sheets}<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/></Types>`;
}

function packageRels(): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
}

function workbookRels(parts: readonly SheetPart[]): string {
  const sheets = parts
    .map(
      (part, index) =>
        `<Relationship Id="rId${index + 2}" Type="${REL_NS}/worksheet" Target="worksheets/${part.file}"/>`,
    )
    .join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/styles" Target="styles.xml"/>${sheets}</Relationships>`;
}

/** A sheet name inside a formula or defined name: quoted, its apostrophes doubled. */
const quotedSheet = (title: string): string => `'${title.replace(/'/g, "''")}'`;

function workbookXml(parts: readonly SheetPart[]): string {
  const sheets = parts
    .map(
      (part, index) =>
        `<sheet name="${xmlAttr(part.title)}" sheetId="${index + 1}" r:id="rId${index + 2}"/>`,
    )
    .join('');
  const printTitles = parts
    .map((part, index) =>
      part.printTitles
        ? `<definedName name="_xlnm.Print_Titles" localSheetId="${index}">${xmlText(quotedSheet(part.title))}!$1:$${HEADER_ROWS}</definedName>`
        : '',
    )
    .join('');
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets>${printTitles ? `<definedNames>${printTitles}</definedNames>` : ''}<calcPr calcId="171027"/></workbook>`;
}

/** W3CDTF to the second, as exceljs wrote it. */
const w3c = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

function coreProperties(workbook: ExportWorkbook): string {
  const asOfLocal = shanghaiText(workbook.asOf);
  const seal = workbook.seal;
  const keywords = [
    `asOf=${workbook.asOf}`,
    `logPosition=${workbook.headPosition}`,
    `events=${workbook.eventCount}`,
    seal ? `sealRoot=${seal.merkleRoot}` : 'sealRoot=none',
    seal ? `sealPosition=${seal.position}` : '',
    seal ? `sealVerified=${seal.verified}` : '',
  ]
    .filter((part) => part.length > 0)
    .join('; ');
  const description = `数据截至 As of: ${workbook.asOf}\n日志位置 Log position: ${workbook.headPosition}\n封存 Seal: ${sealText(workbook)}`;
  const text = (value: string): string => xmlText(sanitizeText(value));
  return `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>hz-cbec-claims-ledger</dc:creator><dc:title>${text(`跨境电商扶持资金台账 财政导出（截至 ${asOfLocal}）`)}</dc:title><dc:subject>${text(`杭政办函〔2023〕9号 资金台账，数据截至 ${asOfLocal}（北京时间），日志位置 ${workbook.headPosition}`)}</dc:subject><dc:description>${text(description)}</dc:description><cp:keywords>${text(keywords)}</cp:keywords><cp:category>财政对账</cp:category><cp:lastModifiedBy>hz-cbec-claims-ledger</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${w3c(workbook.generatedAt)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${w3c(workbook.generatedAt)}</dcterms:modified></cp:coreProperties>`;
}

function appProperties(parts: readonly SheetPart[]): string {
  const titles = parts.map((part) => `<vt:lpstr>${xmlText(part.title)}</vt:lpstr>`).join('');
  return `${XML_HEAD}<Properties xmlns="${CT}.extended-properties" xmlns:vt="${CT}.docPropsVTypes"><Application>hz-cbec-claims-ledger</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${parts.length}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="${parts.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts></Properties>`;
}

interface PageLayout {
  readonly paperSize: number;
  readonly margins: string;
  readonly header: string;
  readonly footer: string;
}

function sheetStart(frozen: boolean, widths: readonly number[], styles: readonly number[]): string {
  const views = frozen
    ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${HEADER_ROWS}" topLeftCell="A${HEADER_ROWS + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A${HEADER_ROWS + 1}" sqref="A${HEADER_ROWS + 1}"/></sheetView></sheetViews>`
    : '';
  const cols = widths
    .map((width, index) => {
      const style = styles[index] ? ` style="${styles[index]}"` : '';
      return `<col min="${index + 1}" max="${index + 1}" width="${width}"${style} customWidth="1"/>`;
    })
    .join('');
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>${views}<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`;
}

function sheetEnd(autoFilter: string | null, layout: PageLayout): string {
  const filter = autoFilter === null ? '' : `<autoFilter ref="${autoFilter}"/>`;
  return `</sheetData>${filter}<pageMargins ${layout.margins}/><pageSetup paperSize="${layout.paperSize}" orientation="landscape" fitToWidth="1" fitToHeight="0"/><headerFooter><oddHeader>${xmlText(layout.header)}</oddHeader><oddFooter>${xmlText(layout.footer)}</oddFooter></headerFooter></worksheet>`;
}

async function writeSheet(
  zip: ZipWriter,
  path: string,
  sheet: Sheet,
  workbook: ExportWorkbook,
): Promise<void> {
  const letters = sheet.columns.map((_col, index) => columnLetter(index));
  const lastColumn = letters[letters.length - 1] ?? 'A';
  const lastDataRow = HEADER_ROWS + sheet.rows.length;
  // One sample of the first rows for every column's width: a spilled sheet is read once for it, not per column.
  const sample = firstRows(sheet, WIDTH_SAMPLE_ROWS);
  const widths = sheet.columns.map((col) => columnWidth(col, sheet, sample));
  // A4 landscape fits about 150 character widths legibly; a wider sheet (申报) prints on A3 landscape.
  const paperSize =
    widths.reduce((sum, width) => sum + width, 0) > A4_LANDSCAPE_WIDTH ? PAPER_A3 : PAPER_A4;
  const entry = await zip.entry(path);
  const xml = new SheetXml(entry);
  await xml.add(
    sheetStart(
      true,
      widths,
      sheet.columns.map((col) => STYLE[col.kind]),
    ),
  );
  await xml.add(
    `<row r="1">${sheet.columns.map((col, index) => stringCell(`${letters[index]}1`, STYLE.header, col.zh)).join('')}</row>`,
  );
  let rowNumber = HEADER_ROWS;
  for (const row of sheet.rows) {
    rowNumber += 1;
    let cells = '';
    for (let index = 0; index < sheet.columns.length; index += 1) {
      const col = sheet.columns[index]!;
      cells += xlsxCellXml(col.kind, `${letters[index]}${rowNumber}`, row[col.key]);
    }
    if (cells.length > 0) await xml.add(`<row r="${rowNumber}">${cells}</row>`);
  }
  if (rowNumber !== lastDataRow)
    throw new Error(
      `sheet ${sheet.id} gave ${rowNumber - HEADER_ROWS} rows, not ${sheet.rows.length}`,
    );
  if (sheet.totals) await xml.add(totalsRow(sheet, letters, lastDataRow));
  await xml.add(
    sheetEnd(`A1:${lastColumn}${Math.max(lastDataRow, HEADER_ROWS)}`, {
      paperSize,
      margins: 'left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"',
      header: `&L&A&R数据截至 ${shanghaiText(workbook.asOf)}（北京时间）`,
      footer: '&C第 &P 页，共 &N 页',
    }),
  );
  await xml.flush();
  await entry.close();
}

/**
 * One blank row under the data, then SUBTOTAL(109, …) per summed column with our exact total cached. With no
 * data rows the range is the blank row itself, so the formula still reads 0.
 */
function totalsRow(sheet: Sheet, letters: readonly string[], lastDataRow: number): string {
  const firstDataRow = HEADER_ROWS + 1;
  const endRow = Math.max(lastDataRow, firstDataRow);
  const at = lastDataRow + 2;
  let cells = stringCell(`A${at}`, STYLE.totalsLabel, TOTALS_LABEL_ZH);
  sheet.columns.forEach((col, index) => {
    const total = sheet.totals?.[col.key];
    if (col.kind !== 'money' || total === null || total === undefined) return;
    const letter = letters[index]!;
    // The label's own cell is column A; a money first column would still get its formula after it.
    if (index === 0) cells = '';
    cells += `<c r="${letter}${at}" s="${STYLE.totalsMoney}"><f>SUBTOTAL(109,${letter}${firstDataRow}:${letter}${endRow})</f><v>${String(moneyCellNumber(String(total)))}</v></c>`;
  });
  return `<row r="${at}">${cells}</row>`;
}

async function writeNotesSheet(
  zip: ZipWriter,
  path: string,
  workbook: ExportWorkbook,
): Promise<void> {
  const entry = await zip.entry(path);
  const xml = new SheetXml(entry);
  // No wrapping (row heights cannot be sized while streaming): the value column is wide enough for the longest note.
  await xml.add(sheetStart(false, [28, 104, 34, 12], [STYLE.bold, 0, 0, 0]));
  let rowNumber = 0;
  const add = async (cells: string[], bold = false): Promise<void> => {
    rowNumber += 1;
    const xmlCells = cells
      .map((text, index) =>
        text === ''
          ? ''
          : inlineCell(
              `${columnLetter(index)}${rowNumber}`,
              bold || index === 0 ? STYLE.bold : 0,
              text,
            ),
      )
      .join('');
    if (xmlCells.length > 0) await xml.add(`<row r="${rowNumber}">${xmlCells}</row>`);
  };
  const rows: Array<[string, string]> = [
    ['数据截至 As of', `${shanghaiText(workbook.asOf)}（北京时间）  ${workbook.asOf}`],
    [
      '生成时间 Generated at',
      `${shanghaiText(workbook.generatedAt)}（北京时间）  ${workbook.generatedAt}`,
    ],
    ['日志位置 Log position', `${workbook.headPosition}（共 ${workbook.eventCount} 个事件）`],
    ...sealRows(workbook),
    [
      '金额 Amounts',
      '人民币元，数值单元格，格式 #,##0.00；每个金额与台账的两位小数完全一致，可直接 SUM / SUMIF / 数据透视。',
    ],
    [
      '合计 Totals',
      '每个数据表下方空一行为合计行，使用 SUBTOTAL(109, …)，随筛选变化；筛选范围不含合计行。按月表的期末余额不合计。',
    ],
    [
      '时间 Times',
      '日期时间单元格，北京时间（UTC+8），格式 yyyy-mm-dd hh:mm:ss；仅有日期的业务日期显示为 yyyy-mm-dd。',
    ],
    ['月份 Months', '财政月份按业务时间（北京时间）归属，单元格为该月 1 日，格式 yyyy-mm。'],
    [
      '来源 Source',
      '由事件日志重放生成，与系统投影一致；文本单元格一律存为文本，不会作为公式执行。',
    ],
  ];
  for (const [key, value] of rows) await add([key, value]);
  await add([]);
  await add(['工作表 Sheet', '列 Column', 'English', '类型 Kind'], true);
  // The per-funder sheets share one layout: listed once.
  const firstFunder = workbook.sheets.find((sheet) => sheet.id.startsWith('funder-'));
  for (const sheet of workbook.sheets) {
    if (sheet.id.startsWith('funder-') && sheet !== firstFunder) continue;
    const title = sheet === firstFunder ? '出资-…（每个出资方一张）' : sheet.title;
    for (const col of sheet.columns) await add([title, col.zh, col.en, col.kind]);
  }
  await xml.add(
    sheetEnd(null, {
      paperSize: PAPER_A4,
      margins: 'left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"',
      header: '&L&A',
      footer: '&C第 &P 页，共 &N 页',
    }),
  );
  await xml.flush();
  await entry.close();
}

/** Characters as wide as they print: CJK and full-width forms take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(
        char,
      )
        ? 2
        : 1;
  return width;
}

/** Wide enough for the header (and its filter button) and for every sampled value, so ids are never cut. */
function columnWidth(col: Column, sheet: Sheet, sample: readonly Row[]): number {
  let widest = displayWidth(col.zh) + 3;
  const fixed: Partial<Record<ColumnKind, number>> = { datetime: 19, month: 7, businessTime: 19 };
  for (const row of sample) {
    const value = row[col.key];
    if (value === null || value === undefined) continue;
    const text = String(value);
    const width = fixed[col.kind] ?? (col.kind === 'money' ? moneyWidth(text) : displayWidth(text));
    if (width > widest) widest = width;
  }
  if (col.kind === 'money' && sheet.totals?.[col.key])
    widest = Math.max(widest, moneyWidth(String(sheet.totals[col.key])));
  // Free text is cut (on screen only) past 36 columns; identifiers are never cut. +3: the indent and the filter button.
  const cap = col.kind === 'text' ? 36 : 80;
  return Math.min(widest + 3, cap);
}

/** The first `count` rows of the sheet (all of them when it has fewer). */
function firstRows(sheet: Sheet, count: number): Row[] {
  const rows: Row[] = [];
  if (count <= 0) return rows;
  for (const row of sheet.rows) {
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}

/** '1234567.50' shows as '1,234,567.50'. */
function moneyWidth(text: string): number {
  const digits = text.replace(/^-/, '').split('.')[0]?.length ?? 1;
  return text.length + Math.floor((digits - 1) / 3);
}

function sealText(workbook: ExportWorkbook): string {
  const seal = workbook.seal;
  if (seal === null) return '无（未找到覆盖本导出的封存检查点）none';
  const state = seal.verified
    ? '已核验：日志前缀与封存根一致 verified'
    : `核验失败 NOT verified: ${seal.problems.join('; ')}`;
  return `${seal.merkleRoot}（日志位置 ${seal.position}，${seal.eventCount} 个事件，密钥 ${seal.keyId}，封存于 ${shanghaiText(seal.sealedAt)}；${state}）`;
}

function sealRows(workbook: ExportWorkbook): Array<[string, string]> {
  const seal = workbook.seal;
  if (seal === null) return [['封存 Seal', '无：没有覆盖本导出的封存检查点 (none)']];
  return [
    ['封存根 Seal root', seal.merkleRoot],
    [
      '封存范围 Sealed',
      `日志位置 ${seal.position}，${seal.eventCount} 个事件，封存于 ${shanghaiText(seal.sealedAt)}（北京时间），密钥 ${seal.keyId}`,
    ],
    [
      '封存核验 Seal check',
      seal.verified
        ? '已核验：日志前缀与封存根一致 (verified)'
        : `核验失败 (NOT verified): ${seal.problems.join('; ')}`,
    ],
  ];
}
