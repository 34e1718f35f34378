/*
 * tables_private.h — declarations shared by the table implementations.
 * One builder per table of TABLES.md: srdi_table_T01 … srdi_table_T35.
 */
#ifndef SRDI_TABLES_PRIVATE_H
#define SRDI_TABLES_PRIVATE_H

#include "srdi/tables.h"

#define SRDI_TABLE_FN(id) srdi_status srdi_table_##id(const srdi_tctx *ctx, srdi_table **out)
SRDI_TABLE_FN(T01); SRDI_TABLE_FN(T02); SRDI_TABLE_FN(T03); SRDI_TABLE_FN(T04); SRDI_TABLE_FN(T05);
SRDI_TABLE_FN(T06); SRDI_TABLE_FN(T07); SRDI_TABLE_FN(T08); SRDI_TABLE_FN(T09); SRDI_TABLE_FN(T10);
SRDI_TABLE_FN(T11); SRDI_TABLE_FN(T12); SRDI_TABLE_FN(T13); SRDI_TABLE_FN(T14); SRDI_TABLE_FN(T15);
SRDI_TABLE_FN(T16); SRDI_TABLE_FN(T17); SRDI_TABLE_FN(T18); SRDI_TABLE_FN(T19); SRDI_TABLE_FN(T20);
SRDI_TABLE_FN(T21); SRDI_TABLE_FN(T22); SRDI_TABLE_FN(T23); SRDI_TABLE_FN(T24); SRDI_TABLE_FN(T25);
SRDI_TABLE_FN(T26); SRDI_TABLE_FN(T27); SRDI_TABLE_FN(T28); SRDI_TABLE_FN(T29); SRDI_TABLE_FN(T30);
SRDI_TABLE_FN(T31); SRDI_TABLE_FN(T32); SRDI_TABLE_FN(T33); SRDI_TABLE_FN(T34); SRDI_TABLE_FN(T35);

/** In scope (ctx->scope NULL or scope[row] != 0)? */
static inline int srdi_in_scope(const srdi_tctx *ctx, size_t row)
{
    return ctx->scope == NULL || ctx->scope[row] != 0;
}
/**
 * The same context over the whole data set: TABLES.md "Scope" keeps the
 * whole P for the score reference medians (T23, T24, T26) and for T13/T14.
 */
static inline srdi_tctx srdi_whole(const srdi_tctx *ctx)
{
    srdi_tctx w = *ctx;
    w.scope = NULL;
    return w;
}
/** In population P: in scope and level national or provincial. */
static inline int srdi_in_P(const srdi_tctx *ctx, size_t row)
{
    return srdi_in_scope(ctx, row) && ctx->d->level[row] != SRDI_LEVEL_CHAMPION;
}

#endif
