/* graph.h: a small directed graph of labelled nodes, edges and notes, written as a Mermaid
 * flowchart or a Graphviz DOT digraph. Node ids are made up here (n0, n1, ...), so only labels
 * come from outside, and each writer escapes them for its format: quotes, brackets, markup and
 * line breaks cannot end a label or change the diagram. `sluice plan --format` draws the plan
 * with it (plan_diagram.h). */
#ifndef SLUICE_GRAPH_H
#define SLUICE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sl_graph sl_graph;

typedef enum sl_graph_shape {
    SL_GRAPH_BOX,   /* a stage */
    SL_GRAPH_ROUND, /* where data comes from */
    SL_GRAPH_STORE, /* where data goes (a database: a cylinder) */
    SL_GRAPH_NOTE,  /* a remark on another node (sl_graph_note) */
} sl_graph_shape;

typedef enum sl_graph_format { SL_GRAPH_MERMAID, SL_GRAPH_DOT } sl_graph_format;

/* A new empty graph (owned: sl_graph_free) titled title (copied; NULL: none); NULL when out
 * of memory. */
sl_graph *sl_graph_new(const char *title);
/* Frees g; NULL is fine. */
void sl_graph_free(sl_graph *g);
/* Adds a node labelled label (copied; '\n' separates lines, other control characters print as
 * spaces); returns its index, or -1 when out of memory. */
int sl_graph_node(sl_graph *g, sl_graph_shape shape, const char *label);
/* Adds an edge from node `from` to node `to`, labelled label (copied; NULL: none), dashed or
 * not; returns 0, or -1 when out of memory or a node does not exist. */
int sl_graph_edge(sl_graph *g, int from, int to, const char *label, bool dashed);
/* Adds a note node of text (copied) joined to node `to` by a dashed line; returns the note's
 * index, or -1. */
int sl_graph_note(sl_graph *g, int to, const char *text);
/* The number of nodes and of edges of g. */
size_t sl_graph_n_nodes(const sl_graph *g);
size_t sl_graph_n_edges(const sl_graph *g);
/* Node i's shape and label (borrowed: valid as long as g); i < sl_graph_n_nodes. For a caller
 * drawing the graph itself (the status page of `sluice serve`), escaping labels as it needs. */
sl_graph_shape sl_graph_node_shape(const sl_graph *g, size_t i);
const char *sl_graph_node_label(const sl_graph *g, size_t i);
/* Edge i (i < sl_graph_n_edges): its ends, its label (borrowed; NULL: none) and whether it is
 * dashed. */
void sl_graph_edge_get(const sl_graph *g, size_t i, int *from, int *to, const char **label,
                       bool *dashed);
/* Writes g in format fmt to out; returns 0, or -1 when writing failed. */
int sl_graph_write(const sl_graph *g, sl_graph_format fmt, FILE *out);

#endif
