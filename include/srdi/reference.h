/*
 * srdi/reference.h — reference data loaded at run time from editable CSV
 * files under templates/<t>/reference/: GB/T 4754-2017 (gbt4754_2017.csv),
 * provinces.csv (short forms, regions, clusters) and strategic_domains.csv
 * (longest-prefix match), and the optional cities.csv (city-level divisions
 * with their province).
 */
#ifndef SRDI_REFERENCE_H
#define SRDI_REFERENCE_H

#include <stddef.h>
#include "srdi/error.h"

typedef enum { SRDI_IND_SECTION, SRDI_IND_DIVISION, SRDI_IND_GROUP, SRDI_IND_CLASS } srdi_ind_level;

typedef struct srdi_industry {
    char *code; /* "C", "39", "398", "3985" */
    srdi_ind_level level;
    char *name;   /* 电子专用材料制造 */
    char *parent; /* parent code, "" for sections */
} srdi_industry;

typedef struct srdi_province {
    char *name;      /* 江苏省 */
    char *shortname; /* 江苏 */
    char *region;    /* 东部/中部/西部/东北 */
    char *cluster;   /* 京津冀/长三角/珠三角 or "" */
} srdi_province;

typedef struct srdi_city {
    char *code;   /* 统计用区划代码 of the National Bureau of Statistics: 3205 */
    char *name;   /* 苏州市 */
    int province; /* index into provinces */
} srdi_city;

typedef struct srdi_domain_prefix {
    char *prefix; /* "3824", "382", "38" */
    char *domain; /* 电子核心产业 */
} srdi_domain_prefix;

typedef struct srdi_reference {
    srdi_industry *industries;
    size_t n_industries;
    srdi_province *provinces;
    size_t n_provinces; /* file order */
    srdi_domain_prefix *domains;
    size_t n_domains; /* file order */
    char **domain_names;
    size_t n_domain_names; /* distinct, first-seen order */
    char **cluster_names;
    size_t n_cluster_names; /* distinct non-empty, first-seen */
    srdi_city *cities;
    size_t n_cities;     /* cities.csv, file order (0 when absent) */
    void *index;         /* private lookup structures */
    unsigned extra_refs; /* srdi_reference_retain calls not yet freed */
} srdi_reference;

/**
 * @brief Load gbt4754_2017.csv, provinces.csv, strategic_domains.csv and the
 * optional cities.csv from @p dir (…/reference).
 * @param dir the folder (borrowed)
 * @param out receives the reference, owned by the caller (srdi_reference_free,
 *            or hand it to srdi_ingest / srdi_dataset_new); untouched on failure
 * @return SRDI_OK; SRDI_ERR_IO or SRDI_ERR_REFERENCE for a missing, malformed or
 *         empty file (message names file and line); SRDI_ERR_NOMEM
 */
srdi_status srdi_reference_load(const char *dir, srdi_reference **out);
/**
 * @brief Drop one reference: frees @p r when no srdi_reference_retain is outstanding.
 * @param r the reference (NULL is fine)
 */
void srdi_reference_free(srdi_reference *r);
/**
 * @brief One more owner of @p r (its lookups are read-only): a caller that
 * hands the same reference to several srdi_ingest calls (which take
 * ownership) retains it before each.  Not thread-safe: retain before the threads start.
 * @param r the reference
 * @return @p r
 */
srdi_reference *srdi_reference_retain(srdi_reference *r);

/**
 * @brief Industry entry by exact code.
 * @param r    the reference
 * @param code "3985", "398", "39" or "C" (borrowed)
 * @return the entry (borrowed, lives as long as @p r), or NULL
 */
const srdi_industry *srdi_reference_industry(const srdi_reference *r, const char *code);
/**
 * @brief Province index for a full or short name.
 * @param r    the reference
 * @param text "江苏省" or "江苏" (borrowed)
 * @return the index into r->provinces, or -1
 */
int srdi_reference_province(const srdi_reference *r, const char *text);
/**
 * @brief The city of province @p prov named @p text (its full name, or the
 * short form without 市/地区/盟: 苏州 → 苏州市).
 * @param r     the reference
 * @param prov  a province index
 * @param text  the city name (borrowed)
 * @param other receives, when the result is -1 and the name is a city of
 *              another province, that city's index; else -1
 * @return the index into r->cities, or -1
 */
int srdi_reference_city(const srdi_reference *r, int prov, const char *text, int *other);
/**
 * @brief Strategic domain of a class code by longest prefix.
 * @param r          the reference
 * @param class_code the 4-digit class code (borrowed)
 * @return the domain name (borrowed, lives as long as @p r), or NULL
 */
const char *srdi_reference_domain(const srdi_reference *r, const char *class_code);

#endif
