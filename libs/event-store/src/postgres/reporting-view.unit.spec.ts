import { reportingColumns, viewComments } from './reporting-view';

describe('reportingColumns: a view’s columns as a table', () => {
  it('reads one column a line, joins continuation lines and keeps interpolations as they are', () => {
    const multiLine = "CASE x\n  WHEN 'a' THEN 1 END";
    expect(
      reportingColumns`
        id | t.id | 编号 | id
        kind_${'a'} | ${multiLine}
          | 类型 | the kind
      `,
    ).toEqual([
      { name: 'id', expr: 't.id', zh: '编号', en: 'id' },
      { name: 'kind_a', expr: multiLine, zh: '类型', en: 'the kind' },
    ]);
  });

  it('refuses a line without the four parts', () => {
    expect(() => reportingColumns`id | t.id | 编号`).toThrow(/expected "name \| expr \| zh \| en"/);
  });

  it('comments the view and each column in both languages, quoting single quotes', () => {
    const columns = reportingColumns`owner | o.name | 经办人 | who's in charge`;
    expect(viewComments('r.v', '视图', 'a view', columns)).toEqual([
      "COMMENT ON VIEW r.v IS '视图 | a view'",
      "COMMENT ON COLUMN r.v.owner IS '经办人 | who''s in charge'",
    ]);
  });
});
