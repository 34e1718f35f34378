/*
 * src/charts/charts_stages.c — the level charts: the national/provincial
 * pyramid (SRDI_DRAW_PYRAMID) and the S48 four-stage staircase
 * (SRDI_DRAW_STAIRCASE).
 */
#include "srdi/charts.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "kit.h"
#include "srdi/util.h"

void chart_pyramid(chart_ctx *x)
{
    /* pyramid: national on top of provincial, labels on the right */
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    int rn = srdi_table_row(t, "national"), rp = srdi_table_row(t, "provincial");
    if (rn < 0 || rp < 0) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
    double pw = fmin(x->w * 0.5, x->h * 1.25), ph = x->h - 10;
    /* centre pyramid + label column in the box */
    double labw = 0;
    for (int k = 0; k < 2; k++) {
        const srdi_trow *row = &t->rows[k == 0 ? rn : rp];
        labw = fmax(labw, kit_tw(c, kit_font(10, true), row->label && *row->label ? row->label : row->key));
    }
    labw = fmax(labw, 110);
    double ax = x->x + fmax(0, (x->w - pw - 28 - labw) / 2), apex_x = ax + pw / 2, top = x->y + 5, base = top + ph;
    double split = top + ph * 0.42, gap = 3;
    struct {
        int row;
        double y0, y1;
        srdi_rgba col;
    } tier[2] = {{rn, top, split - gap / 2, kit_pal[0]},
                 {rp, split + gap / 2, base, kit_mix(kit_pal[4], kit_white, 0.2)}};
    srdi_font bf = kit_font(10, true), lf = kit_font(KIT_FS_LABEL + 0.5, false);
    for (int k = 0; k < 2; k++) {
        double hw0 = pw / 2 * (tier[k].y0 - top) / ph, hw1 = pw / 2 * (tier[k].y1 - top) / ph;
        srdi_canvas_move_to(c, apex_x - hw0, tier[k].y0);
        srdi_canvas_line_to(c, apex_x + hw0, tier[k].y0);
        srdi_canvas_line_to(c, apex_x + hw1, tier[k].y1);
        srdi_canvas_line_to(c, apex_x - hw1, tier[k].y1);
        srdi_canvas_close_path(c);
        double n;
        if (kit_num(t, tier[k].row, "count", &n) && n == 0) {
            /* a level without enterprises (an edition with one level only) is
             * its outline, not a full-size block reading as the level's share */
            static const double dash[] = {3, 2};
            srdi_canvas_stroke(c, kit_axis_c, 0.8, dash, 2);
        } else
            srdi_canvas_fill(c, tier[k].col);
        double my = (tier[k].y0 + tier[k].y1) / 2 + (k == 0 ? (tier[k].y1 - tier[k].y0) * 0.18 : 0);
        const srdi_trow *row = &t->rows[tier[k].row];
        const char *name = row->label && *row->label ? row->label : row->key;
        /* leader from the tier's right edge to the label column */
        double ex = apex_x + pw / 2 * (my - top) / ph + 3, lx = ax + pw + 28;
        kit_line(c, ex, my, lx - 4, my, kit_axis_c, 0.6, false);
        kit_text_mid(c, bf, lx, my - 7, 0, name, kit_text_c);
        char cnt[64] = "—", shr[64] = "—", line[160];
        double v;
        if (kit_num(t, tier[k].row, "count", &v)) {
            kit_fmt_int(v, cnt, sizeof cnt);
            const srdi_tcol *cc = kit_col(t, "count");
            if (cc && cc->unit && *cc->unit) {
                size_t l = strlen(cnt);
                snprintf(cnt + l, sizeof cnt - l, "%s", cc->unit);
            }
        }
        if (kit_num(t, tier[k].row, "share", &v)) kit_fmt(v, SRDI_COL_SHARE, -1, shr, sizeof shr);
        snprintf(line, sizeof line, "%s，占比%s", cnt, shr);
        kit_text_mid(c, lf, lx, my + 8, 0, line, kit_muted_c);
    }
    int rt = srdi_table_row(t, "total");
    double v;
    if (rt >= 0 && kit_num(t, rt, "count", &v)) {
        char cnt[64], line[128];
        kit_fmt_int(v, cnt, sizeof cnt);
        snprintf(line, sizeof line, "合计%s", cnt); /* set solid, as in the text (GB/T 15834) */
        const srdi_tcol *cc = kit_col(t, "count");
        if (cc && cc->unit && *cc->unit) {
            size_t l = strlen(line);
            snprintf(line + l, sizeof line - l, "%s", cc->unit);
        }
        kit_text(c, lf, ax + pw + 28, base - 2, 0, line, kit_text_c);
    }
}

/*
 * S48: four ascending steps (基础层 → 引领层) with name, subtitle,
 * thresholds and goal from params.ini [path], defaults from the seed report.
 */
void chart_staircase(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    static const char *def_name[4] = {"基础层", "成长层", "攻坚层", "引领层"};
    static const char *def_sub[4] = {"创新型中小企业", "专精特新中小企业", "专精特新“小巨人”", "重点“小巨人”/单项冠军"};
    static const char *def_desc[4] = {"专利总量<30件；研发占比<15%", "专利总量30—100件；研发占比15%—20%",
                                      "专利总量100—200件；研发占比20%—25%", "专利总量>200件；研发占比>25%"};
    static const char *def_goal[4] = {"建立创新意识，补齐研发短板", "提升创新质量，强化产业链地位",
                                      "冲刺单项冠军，打造行业引领力", "构建产业生态，具备国际竞争力"};
    srdi_font nf = kit_font(10.5, true), sf = kit_font(KIT_FS_LABEL, false), df = kit_font(KIT_FS_TICK, false);
    double left = KIT_FS_LABEL + 10, bottom = KIT_FS_LABEL + 10;
    double px = x->x + left, pw = x->w - left - 6, py = x->y + 4, ph = x->h - bottom - 4;
    double sw = pw / 4;
    for (int k = 0; k < 4; k++) {
        char key[32];
        snprintf(key, sizeof key, "stage%d_name", k + 1);
        const char *name = x->p ? srdi_params_str(x->p, "path", key, def_name[k]) : def_name[k];
        snprintf(key, sizeof key, "stage%d_sub", k + 1);
        const char *sub = x->p ? srdi_params_str(x->p, "path", key, def_sub[k]) : def_sub[k];
        snprintf(key, sizeof key, "stage%d_desc", k + 1);
        const char *desc = x->p ? srdi_params_str(x->p, "path", key, def_desc[k]) : def_desc[k];
        snprintf(key, sizeof key, "stage%d_goal", k + 1);
        const char *goal = x->p ? srdi_params_str(x->p, "path", key, def_goal[k]) : def_goal[k];
        double h = ph * (0.30 + 0.70 * (k + 1) / 4.0);
        double bx = px + sw * k, by = py + ph - h;
        srdi_rgba col = kit_mix(kit_pal[4], kit_pal[0], k / 3.0);
        kit_rect_fill(c, bx + 1.5, by, sw - 3, h, kit_mix(col, kit_white, 0.78));
        kit_rect_fill(c, bx + 1.5, by, sw - 3, 4, col);
        double tx = bx + 8, ty = by + 20, tw = sw - 16;
        kit_text(c, nf, tx, ty, 0, name, k >= 2 ? kit_pal[0] : kit_text_c);
        char lines[4][KIT_MAXLINE];
        int nl = kit_wrap(c, sf, sub, tw, lines, 2);
        for (int l = 0; l < nl; l++) {
            ty += KIT_FS_LABEL * 1.35;
            kit_text(c, sf, tx, ty, 0, lines[l], kit_text_c);
        }
        ty += 4;
        /* thresholds: one line per "；"-separated item */
        const char *p = desc;
        while (p && *p) {
            const char *sep = strstr(p, "；");
            size_t len = sep ? (size_t)(sep - p) : strlen(p);
            char item[KIT_MAXLINE];
            snprintf(item, sizeof item, "%.*s", (int)(len < KIT_MAXLINE - 1 ? len : KIT_MAXLINE - 1), p);
            nl = kit_wrap(c, df, item, tw, lines, 2);
            for (int l = 0; l < nl; l++) {
                ty += KIT_FS_TICK * 1.35;
                kit_text(c, df, tx, ty, 0, lines[l], kit_muted_c);
            }
            p = sep ? sep + strlen("；") : NULL;
        }
        ty += 3;
        nl = kit_wrap(c, df, goal, tw, lines, 3);
        for (int l = 0; l < nl; l++) {
            ty += KIT_FS_TICK * 1.35;
            kit_text(c, df, tx, ty, 0, lines[l], kit_text_c);
        }
    }
    /* axes */
    kit_line(c, px, py + ph, px + pw, py + ph, kit_axis_c, 0.8, false);
    kit_line(c, px, py, px, py + ph, kit_axis_c, 0.8, false);
    kit_text(c, sf, px + pw / 2, py + ph + KIT_FS_LABEL + 5, 1, "企业成长阶段 →", kit_text_c);
    srdi_canvas_text_vertical(c, sf, x->x + KIT_FS_LABEL / 2 + 1, py + ph / 2, "创新实力层级 →", kit_text_c);
}
