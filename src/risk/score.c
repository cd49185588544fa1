/*
 * The scoring driver; see risk.h. It indexes the links backwards once (who uses a credential,
 * who grants a scope), since links are stored on one end only, and then runs each rule on the
 * entities of its kind.
 */
#include "risk/risk.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static void free_vector(void *item)
{
	nhi_vec_dispose_all(item, NULL);
	free(item);
}

static int add_incoming(struct risk_context *ctx, const struct nhi_inv_link *link, struct nhi_inv_entity *source)
{
	struct nhi_vec *list = model_idmap_get(&ctx->incoming, link->target, strlen(link->target));
	struct risk_incoming *item;
	int error;

	if (!list) {
		if (!(list = calloc(1, sizeof(*list))))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(&ctx->storage, list)) < 0) {
			free(list);
			return error;
		}
		if ((error = model_idmap_put(&ctx->incoming, link->target, strlen(link->target), list)) < 0)
			return error;
	}
	if (!(item = malloc(sizeof(*item))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	item->type = link->type;
	item->source = source;
	if ((error = nhi_vec_push(list, item)) < 0)
		free(item);
	return error;
}

static int index_links(struct risk_context *ctx)
{
	int error = 0;

	for (size_t i = 0; i < ctx->inv->entities.count && error == 0; i++) {
		struct nhi_inv_entity *entity = ctx->inv->entities.items[i];

		for (size_t j = 0; j < entity->links.count && error == 0; j++)
			error = add_incoming(ctx, entity->links.items[j], entity);
	}
	return error;
}

const struct nhi_vec *risk_incoming_links(const struct risk_context *ctx, const char *id)
{
	return model_idmap_get(&ctx->incoming, id, strlen(id));
}

int risk_score_inventory(struct nhi_inventory *inv)
{
	struct risk_context ctx;
	const struct risk_rule *rules;
	size_t count;
	int error;

	memset(&ctx, 0, sizeof(ctx));
	ctx.inv = inv;
	rules = risk_rules(&count);
	if ((error = index_links(&ctx)) < 0)
		goto done;
	for (size_t r = 0; r < count && error == 0; r++)
		for (size_t i = 0; i < inv->entities.count && error == 0; i++) {
			struct nhi_inv_entity *entity = inv->entities.items[i];

			if (strcmp(entity->kind, rules[r].kind) == 0)
				error = rules[r].apply(&ctx, entity, &rules[r]);
		}
	if (error == 0)
		model_inventory_finalize(inv);

done:
	nhi_vec_dispose_all(&ctx.storage, free_vector);
	model_idmap_dispose(&ctx.incoming);
	return error;
}
