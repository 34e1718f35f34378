#!/usr/bin/python3
"""Read srdi-report workbooks back with openpyxl and zipfile and check them.

Usage:
  xlsx_check.py fixture PLAIN.xlsx BENCH.xlsx   # the workbooks of tests/test_xlsx.c
  xlsx_check.py empty EMPTY.xlsx                # a workbook of an empty table set
  xlsx_check.py generic BOOK.xlsx EPOCH [MIN_CHARTS]  # any workbook (end-to-end test)

Prints one line per failed check and "N passed, M failed"; exit status 1 on
any failure.  openpyxl 3.0 does not read charts back, so charts are checked
in the zip (xl/charts/chartN.xml, drawing relationships, series ranges).
"""
import datetime
import re
import sys
import zipfile

import openpyxl

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("xlsx_check: FAILED: %s" % what)


def eq(got, want, what):
    check(got == want, "%s: got %r, expected %r" % (what, got, want))


def cell(ws, ref, value, fmt=None):
    c = ws[ref]
    eq(c.value, value, "%s!%s value" % (ws.title, ref))
    if fmt is not None:
        eq(c.number_format, fmt, "%s!%s number format" % (ws.title, ref))


def chart_xml(path):
    """{chart file: xml text} of a workbook."""
    z = zipfile.ZipFile(path)
    return {n: z.read(n).decode("utf-8") for n in sorted(z.namelist())
            if re.match(r"xl/charts/chart\d+\.xml$", n)}


def chart_refs(xml):
    return re.findall(r"<c:f>([^<]*)</c:f>", xml)


# The fixture's chart titles (tests/test_xlsx.c gives T13 the number 7 and its own caption).
TITLES = ["图表3：国家级及省级专精特新企业数量与占比", "图表5：专精特新企业用工规模分层分布（国家级与省级）", "图表7：省份分布前10",
          "图表20：专精特新企业城市质量分布对比", "图表20：专精特新企业城市质量分布对比（专利中位数）"]


def chart_title(xml):
    """The text of a chart's title."""
    m = re.search(r"<c:title>.*?</c:title>", xml, re.S)
    return "".join(re.findall(r"<a:t>([^<]*)</a:t>", m.group(0))) if m else None


def chart_kinds(xml):
    kinds = re.findall(r"<c:(pieChart|barChart|lineChart|radarChart|scatterChart|doughnutChart)>", xml)
    bar_dir = re.findall(r'<c:barDir val="(\w+)"', xml)
    return kinds + bar_dir


def info_rows(ws):
    """{column A text: column B value} of the 说明 sheet."""
    return {r[0].value: r[1].value for r in ws.iter_rows(min_row=1, max_col=2) if r[0].value}


def fixture(plain, bench):
    wb = openpyxl.load_workbook(plain)
    eq(wb.sheetnames, ["说明", "T01 层级结构", "T03 人员规模", "T13 省份排名", "T16 城市分布",
                       "T20 相关", "T20 相关 (2)", "T30 专利领域",
                       "T98 a_b_c_d_e_f_g_h'很长的名字超过三十一个"], "sheet names")
    eq(len(wb.sheetnames[-1]), 31, "long sheet name cut to 31 characters")

    # 说明
    ws = wb["说明"]
    eq(ws["A1"].value, "专精特新企业培育发展报告：数据工作簿", "说明 title")
    info = info_rows(ws)
    eq(info.get("数据范围"), "江苏省", "scope")
    eq(info.get("数据年份"), "2024年（financials.csv中的最新年度）", "data vintage")
    eq(info.get("生成时间"), "2024-01-02 03:04:05 UTC", "generation time")
    eq(info.get("report.title"), "专精特新企业培育发展报告", "parameter row")
    eq(info.get("t02.threshold"), "10000", "parameter row")
    eq(info.get("patents.csv"), "未提供", "missing input file")
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=1, max_col=6) if r[0].value}
    eq(rows.get("enterprises.csv"), ["enterprises.csv", "data/enterprises.csv", "gb18030", 12345, 12340, 5],
       "enterprises.csv file row")
    links = [c for r in ws.iter_rows() for c in r if c.hyperlink is not None]
    eq(len(links), 8, "table of contents links")
    eq(links[0].hyperlink.location, "'T01 层级结构'!A1", "first link target")
    eq(links[-1].hyperlink.location, "'T98 a_b_c_d_e_f_g_h''很长的名字超过三十一个'!A1",
       "link target with a doubled apostrophe")

    # T01: title, n line, header, numbers with formats, frozen header, filter, notes.
    ws = wb["T01 层级结构"]
    cell(ws, "A1", "T01 专精特新企业层级分布")
    check(ws["A1"].font.b and ws["A1"].font.sz == 14, "T01 title bold 14 pt")
    cell(ws, "A2", "样本量n = 10,000")
    cell(ws, "A3", "项目")
    cell(ws, "B3", "企业数（家）")
    check(ws["B3"].font.b, "header bold")
    eq(ws["B3"].border.bottom.style, "thin", "header bottom border")
    cell(ws, "A4", "国家级“小巨人”")
    cell(ws, "B4", 1057, "#,##0")
    cell(ws, "C4", 0.1057, "#,##0.00%")
    check(isinstance(ws["C4"].value, float), "share stored as a number")
    cell(ws, "C6", 1, "#,##0.00%")
    eq(ws.freeze_panes, "A4", "T01 frozen below the header")
    eq(ws.auto_filter.ref, "A3:C6", "T01 autofilter over header + data")
    eq(ws.page_setup.orientation, "landscape", "T01 printed landscape")
    eq(ws.page_setup.fitToHeight, 0, "T01 printed one page wide, any number of pages tall")
    check(ws.sheet_properties.pageSetUpPr.fitToPage, "T01 fit to page")
    check(ws.print_title_rows in ("3:3", "$3:$3"), "T01 header repeated on printed pages: %r" % ws.print_title_rows)
    cell(ws, "A8", "注：国家级即专精特新“小巨人”")
    cell(ws, "A9", "空白单元格表示该项统计量无数据（文档中显示为“—”）或不适用。")
    cell(ws, "A10", "资料来源：专精特新企业数据库，课题组计算。")
    # widths: "企业数（家）" is 12 columns wide + 2 padding; "国家级“小巨人”" is
    # 16 wide (the curly quotes count 2 in CJK fonts) + 2; an empty table's label
    # column has the minimum 8.
    check(14 <= ws.column_dimensions["B"].width < 15, "T01 column B width %r" % ws.column_dimensions["B"].width)
    check(18 <= ws.column_dimensions["A"].width < 19, "T01 column A width %r" % ws.column_dimensions["A"].width)
    check(8 <= wb["T20 相关 (2)"].column_dimensions["A"].width < 9, "column A minimum width")

    # T03: NULL cells blank, pp and amount formats, absent cells blank.
    ws = wb["T03 人员规模"]
    cell(ws, "B4", 0.25, "#,##0.00%")
    cell(ws, "D4", -25, "#,##0.0")
    cell(ws, "D3", "差距（个百分点）")
    cell(ws, "B5", 0.75, "#,##0.00%")
    cell(ws, "C5", None)          # NULL → blank
    cell(ws, "E4", None)          # ABSENT → blank
    cell(ws, "E6", 120, "#,##0")
    eq(ws.auto_filter.ref, "A3:E6", "T03 autofilter")

    ws = wb["T13 省份排名"]
    cell(ws, "B4", 1, "0")
    cell(ws, "D15", 100 / 7800, "#,##0.00%")
    eq(ws.auto_filter.ref, "A3:D15", "T13 autofilter")

    ws = wb["T16 城市分布"]
    cell(ws, "D4", 25.5, "#,##0.0")

    ws = wb["T20 相关"]
    cell(ws, "B4", 1, "#,##0.000")
    cell(ws, "C4", "极高")

    ws = wb["T30 专利领域"]
    cell(ws, "A1", "T30 专利技术领域")
    cell(ws, "A2", "暂无数据：缺少patents.csv（专利数据），本表未计算。")
    eq(ws.freeze_panes, None, "no_data sheet not frozen")

    # Charts: T01 pie, T03 column, T13 bar (top 10 rows), T16 column + line.
    charts = chart_xml(plain)
    eq(len(charts), 5, "number of charts")
    kinds = [chart_kinds(x) for x in charts.values()]
    eq(kinds, [["pieChart"], ["barChart", "col"], ["barChart", "bar"], ["barChart", "col"], ["lineChart"]],
       "chart types")
    refs = [chart_refs(x) for x in charts.values()]
    eq(refs[0], ["'T01 层级结构'!$B$3", "'T01 层级结构'!$A$4:$A$5", "'T01 层级结构'!$B$4:$B$5"],
       "T01 pie ranges (total row left out)")
    eq(refs[1][1:3], ["'T03 人员规模'!$A$4:$A$5", "'T03 人员规模'!$B$4:$B$5"],
       "T03 ranges (bands only)")
    eq(refs[2][1:3], ["'T13 省份排名'!$A$4:$A$13", "'T13 省份排名'!$D$4:$D$13"],
       "T13 top 10 of the share (the series of the chart catalogue, as in the PDF)")
    eq(refs[4][2], "'T16 城市分布'!$D$4:$D$6", "T16 line chart on median patents")
    # titled like the report's captions: T13 with the number and caption the
    # writer was given, the others with the 2026 edition's
    eq([chart_title(x) for x in charts.values()], TITLES, "chart titles")
    z = zipfile.ZipFile(plain)
    rels = [n for n in z.namelist() if re.match(r"xl/drawings/_rels/drawing\d+\.xml\.rels$", n)]
    eq(len(rels), 4, "drawing relationships (sheets with charts)")
    core = z.read("docProps/core.xml").decode("utf-8")
    check('<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created>' in core,
          "creation time from the epoch")

    # Benchmark workbook: 全国 after each numeric column.
    wb = openpyxl.load_workbook(bench)
    ws = wb["T01 层级结构"]
    # the scope's own columns name it on a second header line
    eq([c.value for c in ws[3]], ["项目", "企业数（家）\n江苏省", "全国", "占比\n江苏省", "全国"], "T01 bench header")
    cell(ws, "B4", 1057, "#,##0")
    cell(ws, "C4", 10570, "#,##0")
    cell(ws, "E4", 0.1057, "#,##0.00%")
    eq(ws.auto_filter.ref, "A3:E6", "bench autofilter covers the 全国 columns")
    ws = wb["T03 人员规模"]
    eq(ws["I3"].value, "全国", "T03 last bench column")
    cell(ws, "B5", 0.75, "#,##0.00%")
    cell(ws, "C5", None)          # row missing nationally → blank
    cell(ws, "C4", 0.25, "#,##0.00%")
    cell(ws, "I6", 1200, "#,##0")
    ws = wb["T20 相关"]
    # T20 is the same in both sets (a table over the whole data, as T13/T14 in an
    # edition): no benchmark columns, and row 2 says so
    eq([c.value for c in ws[3]], ["项目", "专利总数", "标签"], "no bench column for a whole-data table")
    check("本表为全国口径（各地区版本相同）" in ws["A2"].value, "whole-data note on row 2")
    ws = wb["T30 专利领域"]
    cell(ws, "A2", "暂无数据：缺少patents.csv（专利数据），本表未计算。")
    info = [r[0].value for r in wb["说明"].iter_rows(min_row=1, max_col=1)]
    check("每个数值列后的“全国”列为全国同口径数值，便于对照；全国无此行时留空。" in info, "bench note on 说明")
    refs = [chart_refs(x) for x in chart_xml(bench).values()]
    eq(refs[3][2], "'T16 城市分布'!$C$4:$C$6", "T16 (whole-data) chart uses its share column")
    eq(refs[4][2], "'T16 城市分布'!$D$4:$D$6", "T16 (whole-data) line chart column")


def empty(path):
    wb = openpyxl.load_workbook(path)
    eq(wb.sheetnames, ["说明"], "empty set: 说明 only")
    eq(len(chart_xml(path)), 0, "empty set: no charts")


def generic(path, epoch, min_charts):
    wb = openpyxl.load_workbook(path)
    eq(wb.sheetnames[0], "说明", "first sheet")
    # one CJK spacing rule (GB/T 15834) as in the PDF: "2024年", not "2024 年";
    # column B of the parameter and file rows holds values and paths, not prose
    spaced = [c.value for r in wb["说明"].iter_rows() for c in r
              if isinstance(c.value, str) and c.column != 2 and not c.value.startswith(("/", "data/"))
              and re.search(r"[\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z%] [\u4e00-\u9fff]", c.value)]
    eq(spaced, [], "说明 cells with a space between Han and a digit or Latin letter")
    vintage = info_rows(wb["说明"]).get("数据年份")
    check(vintage is None or re.fullmatch(r"\d{4}年（financials.csv中的最新年度）|—.*", vintage),
          "data vintage %r" % vintage)
    names = wb.sheetnames[1:]
    check(len(names) > 0, "table sheets present")
    eq(len(set(n.lower() for n in names)), len(names), "unique sheet names")
    percent_cells = 0
    for name in names:
        check(re.match(r"^T\d\d( .+)?$", name) is not None and len(name) <= 31, "sheet name %r" % name)
        ws = wb[name]
        check(ws["A1"].value and ws["A1"].value.startswith(name[:3]), "%s title" % name)
        if str(ws["A2"].value or "").startswith("暂无数据"):
            continue
        eq(ws.freeze_panes, "A4", "%s frozen" % name)
        check(ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A3"), "%s autofilter" % name)
        eq(ws["A3"].value, "项目", "%s header" % name)
        for row in ws.iter_rows(min_row=4):
            for c in row:
                if c.number_format.endswith("%") and c.value is not None:
                    percent_cells += 1
                    check(isinstance(c.value, (int, float)), "%s!%s percent cell is a number" % (name, c.coordinate))
    check(percent_cells > 0, "some share cells formatted as percent")
    check(len(chart_xml(path)) >= min_charts, "at least %d charts (got %d)" % (min_charts, len(chart_xml(path))))
    # every chart series has a number to draw: a level without enterprises (an
    # edition with one level only) is no series with an empty legend entry
    for cname, xml in chart_xml(path).items():
        for ref in re.findall(r"<c:(?:val|yVal)><c:numRef><c:f>([^<]*)</c:f>", xml):
            m = re.fullmatch(r"'?(.*?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", ref)
            ok = m is not None and m.group(1) in wb.sheetnames
            check(ok, "%s: series range %s" % (cname, ref))
            if not ok:
                continue
            c0, r0, c1, r1 = m.group(2), m.group(3), m.group(4) or m.group(2), m.group(5) or m.group(3)
            cells = wb[m.group(1)]["%s%s:%s%s" % (c0, r0, c1, r1)]
            cells = cells if isinstance(cells, tuple) else ((cells,),)
            cells = [row if isinstance(row, tuple) else (row,) for row in cells]
            nums = [c.value for row in cells for c in row if isinstance(c.value, (int, float))]
            check(nums != [], "%s: series %s has a number" % (cname, ref))
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode("utf-8")
    check(stamp in core, "creation time %s" % stamp)


def main(argv):
    if len(argv) >= 4 and argv[1] == "fixture":
        fixture(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == "empty":
        empty(argv[2])
    elif len(argv) >= 4 and argv[1] == "generic":
        generic(argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else 1)
    else:
        print(__doc__)
        return 2
    print("xlsx_check: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
