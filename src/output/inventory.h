/*
 * Writers of the NHI inventory: the YAML file that is committed with the code, and the graph
 * pictures. Each renders a finalized inventory (model/inventory.h) into a buffer, so the same
 * inventory always gives the same bytes; the CLI writes the buffer out.
 */
#ifndef NHI_OUTPUT_INVENTORY_H
#define NHI_OUTPUT_INVENTORY_H

#include "model/inventory.h"
#include "util/buf.h"

/* The inventory file; its layout is described in docs/INVENTORY.md. */
int output_inventory_yaml(struct nhi_buf *out, const struct nhi_inventory *inv);

/* The graph of entities and links in Graphviz DOT. */
int output_inventory_dot(struct nhi_buf *out, const struct nhi_inventory *inv);

/* The same graph as a Mermaid flowchart, which GitHub renders in Markdown. */
int output_inventory_mermaid(struct nhi_buf *out, const struct nhi_inventory *inv);

#endif
