/*
 * The inventory as a graph: one node per entity, one edge per link, labelled with the link type.
 * Nodes that carry a risk scoring 7 or more are drawn in red, others with a risk in orange, so
 * that the picture shows where to look first. Edges to entities that the inventory does not
 * contain are left out.
 */
#include "output/inventory.h"
#include "util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Scores from here on are drawn as severe; below, as a warning. */
#define SEVERE_SCORE 7

static int highest_score(const struct nhi_inv_entity *entity)
{
	int score = 0;

	for (size_t i = 0; i < entity->risks.count; i++) {
		const struct nhi_inv_risk *risk = entity->risks.items[i];

		if (risk->score > score)
			score = risk->score;
	}
	return score;
}

/* Append text with the characters that DOT strings reserve escaped. */
static int put_dot_escaped(struct nhi_buf *out, const char *text)
{
	int error = 0;

	for (const char *p = text; *p && error == 0; p++) {
		if (*p == '"' || *p == '\\')
			error = nhi_buf_putc(out, '\\');
		if (error == 0)
			error = nhi_buf_putc(out, *p == '\n' ? ' ' : *p);
	}
	return error;
}

static const char *dot_shape(const char *kind)
{
	if (strcmp(kind, NHI_KIND_CREDENTIALS) == 0)
		return "note";
	if (strcmp(kind, NHI_KIND_REFERENCES) == 0)
		return "ellipse";
	if (strcmp(kind, NHI_KIND_AGENTS) == 0 || strcmp(kind, NHI_KIND_MCP_SERVERS) == 0)
		return "component";
	if (strcmp(kind, NHI_KIND_OWNERS) == 0)
		return "house";
	return "box";
}

static int write_dot_node(struct nhi_buf *out, const struct nhi_inv_entity *entity)
{
	int score = highest_score(entity);
	int error;

	if ((error = nhi_buf_puts(out, "\t\"")) < 0 || (error = put_dot_escaped(out, entity->id)) < 0 ||
	    (error = nhi_buf_printf(out, "\" [shape=%s, label=\"%s\\n", dot_shape(entity->kind),
				    model_inventory_kind_label(entity->kind))) < 0 ||
	    (error = put_dot_escaped(out, entity->name ? entity->name : entity->id)) < 0)
		return error;
	if (score > 0 && (error = nhi_buf_printf(out, "\\nrisk %d", score)) < 0)
		return error;
	if (score >= SEVERE_SCORE)
		return nhi_buf_puts(out, "\", color=red, fontcolor=red];\n");
	if (score > 0)
		return nhi_buf_puts(out, "\", color=orange];\n");
	return nhi_buf_puts(out, "\"];\n");
}

static int write_dot_edges(struct nhi_buf *out, const struct nhi_inventory *inv, const struct nhi_inv_entity *entity)
{
	int error = 0;

	for (size_t i = 0; i < entity->links.count && error == 0; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];

		if (!model_inventory_find(inv, link->target))
			continue;
		if ((error = nhi_buf_puts(out, "\t\"")) < 0 || (error = put_dot_escaped(out, entity->id)) < 0 ||
		    (error = nhi_buf_puts(out, "\" -> \"")) < 0 || (error = put_dot_escaped(out, link->target)) < 0)
			break;
		error = nhi_buf_printf(out, "\" [label=\"%s\"];\n", link->type);
	}
	return error;
}

int output_inventory_dot(struct nhi_buf *out, const struct nhi_inventory *inv)
{
	int error;

	if ((error = nhi_buf_puts(out, "digraph nhi_inventory {\n\trankdir=LR;\n"
				  "\tnode [fontname=\"Helvetica\", fontsize=10];\n"
				  "\tedge [fontname=\"Helvetica\", fontsize=9];\n")) < 0)
		return error;
	for (size_t i = 0; i < inv->entities.count && error == 0; i++)
		error = write_dot_node(out, inv->entities.items[i]);
	for (size_t i = 0; i < inv->entities.count && error == 0; i++)
		error = write_dot_edges(out, inv, inv->entities.items[i]);
	return error ? error : nhi_buf_puts(out, "}\n");
}

/* Append text for a Mermaid label: quotes and angle brackets become entity codes. */
static int put_mermaid_escaped(struct nhi_buf *out, const char *text)
{
	int error = 0;

	for (const char *p = text; *p && error == 0; p++) {
		switch (*p) {
		case '"': error = nhi_buf_puts(out, "#quot;"); break;
		case '<': error = nhi_buf_puts(out, "#lt;"); break;
		case '>': error = nhi_buf_puts(out, "#gt;"); break;
		case '\n': error = nhi_buf_putc(out, ' '); break;
		default: error = nhi_buf_putc(out, *p); break;
		}
	}
	return error;
}

/* Mermaid node ids allow fewer characters than ours, so nodes are numbered in inventory order. */
static int index_entities(struct model_idmap *out, const struct nhi_inventory *inv)
{
	int error = 0;

	for (size_t i = 0; i < inv->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *entity = inv->entities.items[i];

		/* Numbers are stored plus one, so that the first entity is not NULL. */
		error = model_idmap_put(out, entity->id, strlen(entity->id), (void *)(uintptr_t)(i + 1));
	}
	return error;
}

static int write_mermaid_node(struct nhi_buf *out, size_t index, const struct nhi_inv_entity *entity)
{
	int score = highest_score(entity);
	int error;

	if ((error = nhi_buf_printf(out, "  n%zu[\"%s: ", index, model_inventory_kind_label(entity->kind))) < 0 ||
	    (error = put_mermaid_escaped(out, entity->name ? entity->name : entity->id)) < 0)
		return error;
	if (score > 0 && (error = nhi_buf_printf(out, " (risk %d)", score)) < 0)
		return error;
	if ((error = nhi_buf_puts(out, "\"]")) < 0)
		return error;
	if (score > 0 && (error = nhi_buf_puts(out, score >= SEVERE_SCORE ? ":::severe" : ":::warning")) < 0)
		return error;
	return nhi_buf_putc(out, '\n');
}

int output_inventory_mermaid(struct nhi_buf *out, const struct nhi_inventory *inv)
{

	struct model_idmap numbers = MODEL_IDMAP_INIT;
	int error;

	if ((error = index_entities(&numbers, inv)) < 0 || (error = nhi_buf_puts(out, "flowchart LR\n")) < 0)
		goto done;
	for (size_t i = 0; i < inv->entities.count && error == 0; i++)
		error = write_mermaid_node(out, i, inv->entities.items[i]);
	for (size_t i = 0; i < inv->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *entity = inv->entities.items[i];

		for (size_t j = 0; j < entity->links.count && error == 0; j++) {
			const struct nhi_inv_link *link = entity->links.items[j];
			uintptr_t target = (uintptr_t)model_idmap_get(&numbers, link->target, strlen(link->target));

			if (target)
				error = nhi_buf_printf(out, "  n%zu -->|%s| n%zu\n", i, link->type, (size_t)(target - 1));
		}
	}
	if (error == 0)
		error = nhi_buf_puts(out, "  classDef severe stroke:#d00,stroke-width:2px\n"
				     "  classDef warning stroke:#e80,stroke-width:2px\n");

done:
	model_idmap_dispose(&numbers);
	return error;
}
