/* serve_diagram.c: a job's plan drawn on the status page as nested HTML boxes, from the graph
 * of plan_diagram.h (the one `sluice plan --format mermaid|dot` writes): each stage a box, the
 * solid edges arrows down the page with their labels (each window, each page, each record),
 * the several successors of a stage side by side below it, and the notes (dashed edges)
 * inside the box they remark on. The labels come redacted from plan_diagram and are escaped
 * here; long ones fold into a <details>. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "plan_diagram.h"
#include "serve_int.h"

enum { SHOWN_LINES = 5, MAX_DEPTH = 64 };

void sv_html_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Writes the n bytes at s escaped. */
static void esc_n(FILE *f, const char *s, size_t n)
{
    char *copy = strndup(s, n);
    sv_html_escape(f, copy ? copy : "");
    free(copy);
}

/* A label's lines: the first in bold, at most SHOWN_LINES in view, the rest folded. */
static void put_label(FILE *f, const char *label)
{
    size_t line = 0;
    for (const char *s = label; s; line++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (line == SHOWN_LINES)
            fputs("<details><summary>more</summary>", f);
        fputs(line ? "<div>" : "<div><b>", f);
        esc_n(f, s, n);
        fputs(line ? "</div>" : "</b></div>", f);
        s = nl ? nl + 1 : NULL;
    }
    if (line > SHOWN_LINES)
        fputs("</details>", f);
}

static const char *shape_class(sl_graph_shape shape)
{
    return shape == SL_GRAPH_ROUND ? "stage round" : shape == SL_GRAPH_STORE ? "stage store"
                                                                           : "stage";
}

static void put_node(FILE *f, const sl_graph *g, int i, unsigned char *seen, int depth)
{
    if (seen[i] || depth > MAX_DEPTH)
        return;
    seen[i] = 1;
    fprintf(f, "<div class=\"%s\">", shape_class(sl_graph_node_shape(g, (size_t)i)));
    put_label(f, sl_graph_node_label(g, (size_t)i));
    int from, to;
    const char *label;
    bool dashed;
    for (size_t e = 0; e < sl_graph_n_edges(g); e++) {
        sl_graph_edge_get(g, e, &from, &to, &label, &dashed);
        if (dashed && to == i && sl_graph_node_shape(g, (size_t)from) == SL_GRAPH_NOTE) {
            fputs("<div class=\"remark\">", f);
            put_label(f, sl_graph_node_label(g, (size_t)from));
            fputs("</div>", f);
        }
    }
    fputs("</div>\n<div class=\"next\">", f);
    for (size_t e = 0; e < sl_graph_n_edges(g); e++) {
        sl_graph_edge_get(g, e, &from, &to, &label, &dashed);
        if (dashed || from != i || seen[to])
            continue;
        fputs("<div><div class=\"arrow\">&darr; ", f);
        sv_html_escape(f, label);
        fputs("</div>", f);
        put_node(f, g, to, seen, depth + 1);
        fputs("</div>", f);
    }
    fputs("</div>\n", f);
}

/* True when node i is where a drawing starts: no note, no solid edge into it. */
static bool is_root(const sl_graph *g, int i)
{
    if (sl_graph_node_shape(g, (size_t)i) == SL_GRAPH_NOTE)
        return false;
    for (size_t e = 0; e < sl_graph_n_edges(g); e++) {
        int from, to;
        const char *label;
        bool dashed;
        sl_graph_edge_get(g, e, &from, &to, &label, &dashed);
        if (!dashed && to == i)
            return false;
    }
    return true;
}

void sv_diagram_html(FILE *f, const sl_plan *plan)
{
    sl_graph *g = sl_plan_graph_new(plan);
    size_t n = g ? sl_graph_n_nodes(g) : 0;
    unsigned char *seen = g ? calloc(n + 1, 1) : NULL;
    if (!seen) {
        fputs("<p class=\"note\">no diagram (out of memory)</p>", f);
        sl_graph_free(g);
        return;
    }
    fputs("<div class=\"plan\">\n", f);
    for (size_t i = 0; i < n; i++)
        if (is_root(g, (int)i))
            put_node(f, g, (int)i, seen, 0);
    fputs("</div>\n", f);
    free(seen);
    sl_graph_free(g);
}
