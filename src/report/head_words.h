/*
 * src/report/head_words.h — the word boundaries inside the CJK run of a
 * table's column header, the one list of them: the layout breaks a header
 * there when a column cannot hold its whole words (layout_tables.c
 * head_boundary), and tests/page_makeup.py reads the quoted words of these
 * two #define lines to accept a header broken there and nowhere else
 * between two Han characters.  Keep each list on its one line.
 */
#ifndef SRDI_REPORT_HEAD_WORDS_H
#define SRDI_REPORT_HEAD_WORDS_H

/* a header may break before the statistic it ends with ("有科技成果评价企业" / "发明授权中位数"),
   and a region's name before 自治区 ("新疆维吾尔" / "自治区": a benchmark column of a city edition) */
#define HEAD_WORDS_BEFORE "中位数", "占比", "均值", "平均", "数量", "样本数", "增长率", "持有率", "自治区"

/* and after the group it starts with ("国家级" / "营收增长率中位数", "有科技成果评价" / "企业") */
#define HEAD_WORDS_AFTER "企业", "国家级", "省级", "评价"

#endif
