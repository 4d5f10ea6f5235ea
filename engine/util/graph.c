/* graph.c: see graph.h. Labels are kept as given and escaped only when written: Mermaid reads
 * a quoted label up to the next '"' and decodes "#NN;" entity codes, so every character that
 * could end it or be read as markup becomes one; DOT reads a quoted string with backslash
 * escapes, so '"' and '\' are escaped and lines end with "\l" (left-justified). */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct graph_node {
    sl_graph_shape shape;
    char *label;
} graph_node;

typedef struct graph_edge {
    int from, to;
    char *label; /* or NULL */
    bool dashed;
} graph_edge;

struct sl_graph {
    char *title;
    graph_node *nodes;
    size_t n_nodes, cap_nodes;
    graph_edge *edges;
    size_t n_edges, cap_edges;
};

sl_graph *sl_graph_new(const char *title)
{
    sl_graph *g = calloc(1, sizeof *g);
    if (g && title && !(g->title = strdup(title))) {
        free(g);
        return NULL;
    }
    return g;
}

void sl_graph_free(sl_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_nodes; i++)
        free(g->nodes[i].label);
    for (size_t i = 0; i < g->n_edges; i++)
        free(g->edges[i].label);
    free(g->nodes);
    free(g->edges);
    free(g->title);
    free(g);
}

int sl_graph_node(sl_graph *g, sl_graph_shape shape, const char *label)
{
    if (g->n_nodes >= (size_t)INT32_MAX)
        return -1;
    char *copy = strdup(label ? label : "");
    graph_node *nodes =
        copy ? sl_grow(g->nodes, &g->cap_nodes, g->n_nodes + 1, sizeof *nodes, 16) : NULL;
    if (!nodes) {
        free(copy);
        return -1;
    }
    g->nodes = nodes;
    g->nodes[g->n_nodes] = (graph_node){shape, copy};
    return (int)g->n_nodes++;
}

int sl_graph_edge(sl_graph *g, int from, int to, const char *label, bool dashed)
{
    if (from < 0 || to < 0 || (size_t)from >= g->n_nodes || (size_t)to >= g->n_nodes)
        return -1;
    char *copy = label ? strdup(label) : NULL;
    graph_edge *edges = label && !copy ? NULL
                        : sl_grow(g->edges, &g->cap_edges, g->n_edges + 1, sizeof *edges, 16);
    if (!edges) {
        free(copy);
        return -1;
    }
    g->edges = edges;
    g->edges[g->n_edges++] = (graph_edge){from, to, copy, dashed};
    return 0;
}

int sl_graph_note(sl_graph *g, int to, const char *text)
{
    if (to < 0 || (size_t)to >= g->n_nodes)
        return -1;
    int note = sl_graph_node(g, SL_GRAPH_NOTE, text);
    if (note < 0 || sl_graph_edge(g, note, to, NULL, true) != 0)
        return -1;
    return note;
}

sl_graph_shape sl_graph_node_shape(const sl_graph *g, size_t i)
{
    return g->nodes[i].shape;
}

const char *sl_graph_node_label(const sl_graph *g, size_t i)
{
    return g->nodes[i].label;
}

void sl_graph_edge_get(const sl_graph *g, size_t i, int *from, int *to, const char **label,
                       bool *dashed)
{
    const graph_edge *e = &g->edges[i];
    *from = e->from;
    *to = e->to;
    *label = e->label;
    *dashed = e->dashed;
}

size_t sl_graph_n_nodes(const sl_graph *g)
{
    return g->n_nodes;
}

size_t sl_graph_n_edges(const sl_graph *g)
{
    return g->n_edges;
}

/* ---- Mermaid ---- */

/* True when a '<' followed by s would open an HTML tag, comment or declaration (a letter, '/',
 * '!' or '?'); any other '<' is plain text to an HTML parser, as in "a <- b". */
static bool starts_tag(const char *s)
{
    return (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s && strchr("/!?", *s));
}

/* The label as Mermaid's quoted text: lines joined by <br/>, every character that could close
 * the quotes, start an entity or be read as HTML or markdown as a "#NN;" entity code; '%' too,
 * since Mermaid reads "%%{init: ...}%%" anywhere in the text as a directive (its theme, its
 * security level). */
static void mermaid_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("<br/>", out);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', out);
        else if (strchr("\"#&`|%", c) || (c == '<' && starts_tag(s + 1)))
            fprintf(out, "#%d;", c);
        else
            fputc(c, out);
    }
}

static void mermaid_node(FILE *out, size_t i, const graph_node *n)
{
    static const char *const open[] = {"[\"", "(\"", "[(\"", "[\""};
    static const char *const close[] = {"\"]", "\")", "\")]", "\"]"};
    fprintf(out, "    n%zu%s", i, open[n->shape]);
    mermaid_text(out, n->label);
    fprintf(out, "%s%s\n", close[n->shape], n->shape == SL_GRAPH_NOTE ? ":::note" : "");
}

static void write_mermaid(const sl_graph *g, FILE *out)
{
    if (g->title) { /* a comment: to the end of the line, so the title keeps to one line */
        fputs("%% ", out);
        for (const char *s = g->title; *s; s++)
            fputc((unsigned char)*s < 0x20 || *s == '%' ? ' ' : *s, out); /* no directive */
        fputc('\n', out);
    }
    fputs("flowchart TB\n", out);
    fputs("    classDef note fill:#fff8dc,stroke:#b8a36b,stroke-dasharray:3 3,text-align:left\n",
          out);
    for (size_t i = 0; i < g->n_nodes; i++)
        mermaid_node(out, i, &g->nodes[i]);
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge *e = &g->edges[i];
        fprintf(out, "    n%d %s", e->from, e->dashed ? (e->label ? "-.->" : "-.-") : "-->");
        if (e->label) {
            fputs("|\"", out);
            mermaid_text(out, e->label);
            fputs("\"|", out);
        }
        fprintf(out, " n%d\n", e->to);
    }
}

/* ---- DOT ---- */

/* The label as a DOT quoted string's body: '"' and '\' escaped, each line ended by "\l" (left
 * justified, which also ends the last one). */
static void dot_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("\\l", out);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', out);
        else if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else
            fputc(c, out);
    }
    fputs("\\l", out);
}

static void write_dot(const sl_graph *g, FILE *out)
{
    static const char *const shape[] = {"box", "box", "cylinder", "note"};
    static const char *const style[] = {"", ", style=rounded", "",
                                        ", style=filled, fillcolor=\"#fff8dc\""};
    fputs("digraph plan {\n    graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11", out);
    if (g->title) {
        fputs(", labelloc=t, label=\"", out);
        dot_text(out, g->title);
        fputc('"', out);
    }
    fputs("];\n    node [fontname=\"Helvetica\", fontsize=10];\n"
          "    edge [fontname=\"Helvetica\", fontsize=9];\n", out);
    for (size_t i = 0; i < g->n_nodes; i++) {
        fprintf(out, "    n%zu [shape=%s%s, label=\"", i, shape[g->nodes[i].shape],
                style[g->nodes[i].shape]);
        dot_text(out, g->nodes[i].label);
        fputs("\"];\n", out);
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge *e = &g->edges[i];
        fprintf(out, "    n%d -> n%d [", e->from, e->to);
        if (e->dashed)
            fprintf(out, "style=dashed%s", e->label ? "" : ", arrowhead=none");
        if (e->label) {
            fprintf(out, "%slabel=\"", e->dashed ? ", " : "");
            dot_text(out, e->label);
            fputc('"', out);
        }
        fputs("];\n", out);
    }
    fputs("}\n", out);
}

int sl_graph_write(const sl_graph *g, sl_graph_format fmt, FILE *out)
{
    if (fmt == SL_GRAPH_DOT)
        write_dot(g, out);
    else
        write_mermaid(g, out);
    return ferror(out) ? -1 : 0;
}
