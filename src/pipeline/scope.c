/*
 * src/pipeline/scope.c — naming a regional edition: parsing --scope
 * (province=… / city=…, short forms, the list of valid names on error), its
 * ids and file stem, its short name and area word, and its parameters
 * (the title with the region in front, [scope]).  Split from editions.c,
 * which selects the edition's rows and runs --split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/editions.h"
#include "srdi/log.h"
#include "srdi/report.h"
#include "srdi/tables.h"
#include "srdi/util.h"
#include "srdi/xlsx.h"
#include "scope_private.h"

/* Does @p s end with @p suffix? */
static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Does @p s start with @p prefix? */
static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* P rows per province (array of ref->n_provinces + 1; caller frees). */
static size_t *province_counts(const srdi_dataset *d)
{
    size_t np = d->ref ? d->ref->n_provinces : 0;
    size_t *cnt = calloc(np + 1, sizeof *cnt);
    if (!cnt) return NULL;
    for (size_t i = 0; i < d->n; i++)
        if (d->level[i] != SRDI_LEVEL_CHAMPION && d->province[i] < np) cnt[d->province[i]]++;
    return cnt;
}

/* "江苏省、浙江省 …": the provinces with enterprises, in provinces.csv order. */
static void list_provinces(const srdi_dataset *d, srdi_buf *b)
{
    size_t *cnt = province_counts(d);
    size_t np = d->ref ? d->ref->n_provinces : 0, k = 0;
    for (size_t p = 0; cnt && p < np; p++)
        if (cnt[p]) srdi_buf_printf(b, "%s%s", k++ ? "、" : "", d->ref->provinces[p].name);
    free(cnt);
}

/* "  江苏省：南京市、苏州市 …" one line per province: cities with enterprises. */
static void list_cities(const srdi_dataset *d, srdi_buf *b)
{
    size_t np = d->ref ? d->ref->n_provinces : 0;
    uint32_t nc = srdi_strpool_count(d->cities);
    uint8_t *seen = calloc((size_t)nc + 1, 1);
    if (!seen) return;
    size_t groups = 0;
    for (size_t p = 0; p < np; p++) {
        size_t k = 0;
        memset(seen, 0, (size_t)nc + 1);
        for (size_t i = 0; i < d->n; i++) {
            if (d->province[i] != p || d->level[i] == SRDI_LEVEL_CHAMPION || seen[d->city[i]]) continue;
            seen[d->city[i]] = 1;
            if (k++ == 0)
                srdi_buf_printf(b, "%s  %s：", groups++ ? "\n" : "", d->ref->provinces[p].name);
            else
                srdi_buf_puts(b, "、");
            srdi_buf_puts(b, srdi_strpool_get(d->cities, d->city[i]));
        }
    }
    free(seen);
}

/* City-name suffixes a short form may leave out (苏州 → 苏州市, 延边 → 延边朝鲜族自治州). */
static bool city_short_of(const char *full, const char *text)
{
    static const char *const suffixes[] = {"市", "地区", "盟", "自治州", "林区", "特别行政区"};
    size_t n = strlen(text);
    if (n == 0 || strncmp(full, text, n) != 0) return false;
    const char *rest = full + n;
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
        if (strcmp(rest, suffixes[k]) == 0) return true;
    /* 延边 → 延边朝鲜族自治州: a minority name between the short form and 自治州 */
    return ends_with(rest, "族自治州") || ends_with(rest, "族自治县");
}

/*
 * Resolve city text (full, short, or "省/市") among the cities that have
 * enterprises.  Sets *province and *city, or fails listing the valid names.
 */
static srdi_status find_city(const srdi_dataset *d, const char *text, int *province, uint32_t *city)
{
    const char *slash = strchr(text, '/');
    int want_prov = -1;
    char name[256];
    srdi_strlcpy(name, slash ? slash + 1 : text, sizeof name);
    if (slash) {
        char pbuf[256];
        size_t len = (size_t)(slash - text);
        if (len >= sizeof pbuf) len = sizeof pbuf - 1;
        memcpy(pbuf, text, len);
        pbuf[len] = 0;
        want_prov = srdi_reference_province(d->ref, pbuf);
    }
    /* exact names first, then short forms; a name in two provinces is ambiguous */
    for (int pass = 0; pass < 2; pass++) {
        int hit_p = -1;
        uint32_t hit_c = UINT32_MAX;
        int hits = 0;
        srdi_buf amb = {0};
        for (size_t i = 0; i < d->n; i++) {
            if (d->level[i] == SRDI_LEVEL_CHAMPION) continue;
            if (want_prov >= 0 && d->province[i] != want_prov) continue;
            const char *c = srdi_strpool_get(d->cities, d->city[i]);
            bool match = pass == 0 ? strcmp(c, name) == 0 : city_short_of(c, name);
            if (!match || (hits && hit_p == d->province[i] && hit_c == d->city[i])) continue;
            bool dup = false; /* seen this (province, city) pair already? */
            if (hits) {
                char pair[512];
                snprintf(pair, sizeof pair, "%s/%s", d->ref->provinces[d->province[i]].name, c);
                dup = amb.data && strstr(amb.data, pair) != NULL;
                if (dup) continue;
            }
            srdi_buf_printf(&amb, "%s%s/%s", hits ? "、" : "", d->ref->provinces[d->province[i]].name, c);
            hits++;
            hit_p = d->province[i];
            hit_c = d->city[i];
        }
        if (hits == 1) {
            srdi_buf_free(&amb);
            *province = hit_p;
            *city = hit_c;
            return SRDI_OK;
        }
        if (hits > 1) {
            srdi_status st = srdi_error_set(SRDI_ERR_USAGE,
                                            "--scope city=%s names more than one city: %s "
                                            "(write city=省/市)",
                                            text, amb.data ? amb.data : "");
            srdi_buf_free(&amb);
            return st;
        }
        srdi_buf_free(&amb);
    }
    /* the list is long (hundreds of cities): on stderr before the error line */
    srdi_buf list = {0};
    list_cities(d, &list);
    srdi_log_error("valid --scope city names (the cities with enterprises, by province):\n%s",
                   list.data ? list.data : "  (none)");
    srdi_buf_free(&list);
    return srdi_error_set(SRDI_ERR_USAGE,
                          "--scope: no city '%s' with enterprises in the data "
                          "(valid names listed above)",
                          text);
}

srdi_status srdi_scope_parse(const srdi_dataset *d, const char *text, srdi_scope *out)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(text, '=');
    bool is_prov = eq && (size_t)(eq - text) == 8 && starts_with(text, "province");
    bool is_city = eq && (size_t)(eq - text) == 4 && starts_with(text, "city");
    if (!is_prov && !is_city)
        return srdi_error_set(SRDI_ERR_USAGE, "--scope must be province=NAME or city=NAME, got '%s'", text);
    const char *val = eq + 1;
    if (!d->ref) return srdi_error_set(SRDI_ERR_USAGE, "--scope needs the reference data (provinces.csv)");
    if (is_prov) {
        int p = srdi_reference_province(d->ref, val);
        size_t *cnt = p >= 0 ? province_counts(d) : NULL;
        bool present = cnt && cnt[p] > 0;
        free(cnt);
        if (!present) {
            srdi_buf list = {0};
            list_provinces(d, &list);
            srdi_status st =
                p < 0 ? srdi_error_set(SRDI_ERR_USAGE, "--scope: unknown province '%s'; valid: %s", val,
                                       list.data ? list.data : "(none)")
                      : srdi_error_set(SRDI_ERR_USAGE, "--scope %s matches no enterprise; provinces in the data: %s",
                                       text, list.data ? list.data : "(none)");
            srdi_buf_free(&list);
            return st;
        }
        return srdi_scope_region(d, SRDI_SCOPE_PROVINCE, p, 0, out);
    }
    int p;
    uint32_t c;
    srdi_status st = find_city(d, val, &p, &c);
    if (st != SRDI_OK) return st;
    return srdi_scope_region(d, SRDI_SCOPE_CITY, p, c, out);
}

void srdi_scope_id(const srdi_scope *s, char *buf, size_t size)
{
    if (s->kind == SRDI_SCOPE_PROVINCE)
        snprintf(buf, size, "province=%s", s->name);
    else if (s->kind == SRDI_SCOPE_CITY)
        snprintf(buf, size, "city=%s/%s", s->province_name, s->name);
    else
        srdi_strlcpy(buf, "全国", size);
}

const char *srdi_scope_report_id(const srdi_scope *s, char *buf, size_t size)
{
    if (s->kind == SRDI_SCOPE_NATION) return NULL;
    snprintf(buf, size, "%s=%s", s->kind == SRDI_SCOPE_PROVINCE ? "province" : "city", s->name);
    return buf;
}

/* "全省" / "全市" / "全区" …: how the text names the whole of a region. */
static const char *area_word(const char *name, srdi_scope_kind kind)
{
    if (kind == SRDI_SCOPE_NATION) return "全国";
    if (ends_with(name, "省")) return "全省";
    if (ends_with(name, "自治区") || ends_with(name, "特别行政区")) return "全区";
    if (ends_with(name, "自治州")) return "全州";
    if (ends_with(name, "地区")) return "全地区";
    if (ends_with(name, "盟")) return "全盟";
    return "全市";
}

/* Short name: 江苏省 → 江苏 (provinces.csv), 苏州市 → 苏州. */
void pipeline_short_name(const srdi_dataset *d, const srdi_scope *s, char *buf, size_t size)
{
    if (s->kind == SRDI_SCOPE_PROVINCE && d && d->ref && d->ref->provinces[s->province].shortname &&
        d->ref->provinces[s->province].shortname[0]) {
        srdi_strlcpy(buf, d->ref->provinces[s->province].shortname, size);
        return;
    }
    srdi_strlcpy(buf, s->name, size);
    size_t n = strlen(buf);
    if (s->kind == SRDI_SCOPE_CITY && n > 6 && ends_with(buf, "市")) buf[n - 3] = 0;
}

srdi_status srdi_scope_tables(const srdi_scope *s, const srdi_dataset *d, const srdi_params *p, const char *only,
                              int threads, srdi_tableset **out)
{
    srdi_tctx ctx = {d, s->mask, p, s->next, s->mask ? s->facts : NULL, s->n_facts, s->shared, s->reuse};
    srdi_status st = srdi_tables_compute_threads(&ctx, only, threads, out);
    if (st == SRDI_OK) st = srdi_report_annotate(*out, p); /* source lines, small-sample notes */
    if (st != SRDI_OK || s->kind == SRDI_SCOPE_NATION) return st;
    /* A share of the region's own P is the region's (T16 …); a table over the
       whole P (n beyond the region's, as T13/T14) keeps its 全国占比. */
    char label[64];
    snprintf(label, sizeof label, "占%s比重", area_word(s->name, s->kind));
    for (size_t i = 0; i < (*out)->n; i++) {
        srdi_table *t = (*out)->tables[i];
        if (t->n > (long long)s->n) continue;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!t->cols[c].label || strcmp(t->cols[c].label, "全国占比") != 0) continue;
            char *copy = srdi_strdup(label);
            if (!copy) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            free(t->cols[c].label);
            t->cols[c].label = copy;
        }
    }
    return SRDI_OK;
}

srdi_status srdi_edition_params(const srdi_params *base, const srdi_scope *s, srdi_params **out)
{
    srdi_params *p = srdi_params_new();
    srdi_status st = SRDI_OK;
    if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    int n = base ? srdi_params_count(base) : 0;
    for (int i = 0; i < n && st == SRDI_OK; i++) {
        const char *sec, *key, *val;
        srdi_params_entry(base, i, &sec, &key, &val);
        st = srdi_params_set(p, sec, key, val);
    }
    const char *kind = s->kind == SRDI_SCOPE_PROVINCE ? "province" : s->kind == SRDI_SCOPE_CITY ? "city" : "national";
    char buf[512];
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "kind", kind);
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "name", s->name);
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "short", s->short_name);
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "province", s->province_name[0] ? s->province_name : s->name);
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "area", area_word(s->name, s->kind));
    if (st == SRDI_OK) st = srdi_params_set(p, "scope", "benchmark", "全国");
    if (st == SRDI_OK && s->kind != SRDI_SCOPE_NATION) {
        const char *title = srdi_params_str(base, "report", "title", "专精特新企业培育发展报告");
        if (!starts_with(title, s->name)) {
            snprintf(buf, sizeof buf, "%s%s", s->name, title);
            st = srdi_params_set(p, "report", "title", buf);
        }
    }
    if (st != SRDI_OK) {
        srdi_params_free(p);
        return st == SRDI_ERR_NOMEM ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory") : st;
    }
    *out = p;
    return SRDI_OK;
}

void srdi_edition_stem(const srdi_scope *s, char *buf, size_t size)
{
    srdi_xlsx_safe_filename(s->name, buf, size);
}
