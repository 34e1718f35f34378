/*
 * src/pipeline/figshare.h — figure files drawn once for the editions of one
 * --split run (figshare.c).
 *
 * Many editions draw some figure from the same table with the same title:
 * T13 is computed over the whole P for every edition (the same figure
 * everywhere), an empty table draws the same 暂无数据 figure.  A PNG's bytes
 * depend only on what it is drawn from (src/canvas/png.c), so an edition
 * asks the store by the figure's key (figshare_key) before drawing it: the
 * second edition to ask for a key draws it and keeps its bytes in the
 * store, every later one writes those bytes.  The store is shared memory
 * made before the worker processes are forked, so it serves every worker.
 */
#ifndef SRDI_PIPELINE_FIGSHARE_H
#define SRDI_PIPELINE_FIGSHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srdi/charts.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct figshare figshare;

/** @brief A new empty store (shared with processes forked later); NULL when it cannot be made (then nothing is shared). */
figshare *figshare_new(void);
/** @brief Unmap the store (every process that holds it; NULL is fine). */
void figshare_free(figshare *fs);
/**
 * @brief Key of a figure file: what its bytes are drawn from besides the
 * run's fonts and program: the chart, its file title, kind and resolution,
 * everything of the table it draws and the parameters, without the
 * edition's own [scope] section and [report] title (the charts read
 * neither: tests/test_editions.sh compares a split's figures with a
 * --scope build's).
 */
uint64_t figshare_key(const srdi_chart_def *def, const char *title, const char *ext, double dpi, const srdi_table *t,
                      const srdi_params *p);
/**
 * @brief The bytes kept for @p key: a malloc'd copy in *@p data (*@p len
 * bytes), true; else false, and *@p keep says whether the caller, who
 * draws the figure itself, should figshare_put its bytes (the key was
 * asked for before).  False without a store or when out of memory.
 */
bool figshare_get(figshare *fs, uint64_t key, unsigned char **data, size_t *len, bool *keep);
/** @brief Keep @p len bytes for @p key (ignored when the store is full or has them). */
void figshare_put(figshare *fs, uint64_t key, const unsigned char *data, size_t len);

#endif
