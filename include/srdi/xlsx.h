/*
 * srdi/xlsx.h — bureau workbooks (libxlsxwriter): a 说明 sheet, one sheet per
 * table with formats, frozen header, autofilter, native charts; split per
 * province / city with a national benchmark column.
 */
#ifndef SRDI_XLSX_H
#define SRDI_XLSX_H

#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct srdi_xlsx_info {
    const srdi_dataset *d;         /* for the 说明 sheet (files, counts) */
    const srdi_params  *params;
    const char         *scope;     /* "全国" or "江苏省" … */
    long long           epoch;     /* generation time (SOURCE_DATE_EPOCH) */
} srdi_xlsx_info;

/**
 * @brief Write one workbook to @p path (atomically).  @p bench, when not
 * NULL, holds the national tables: each numeric column gets a 全国 benchmark
 * column beside it.
 */
srdi_status srdi_xlsx_write(const char *path, const srdi_tableset *tables,
                            const srdi_tableset *bench, const srdi_xlsx_info *info);

#endif
