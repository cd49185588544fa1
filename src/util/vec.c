/*
 * Growable array of pointers; see vec.h.
 */
#include "util/vec.h"
#include "util/error.h"

#include <stdlib.h>

int nhi_vec_push(struct nhi_vec *vec, void *item)
{
	if (vec->count == vec->alloc) {
		size_t alloc = vec->alloc ? vec->alloc * 2 : 16;
		void **items = realloc(vec->items, alloc * sizeof(*items));

		if (!items)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		vec->items = items;
		vec->alloc = alloc;
	}
	vec->items[vec->count++] = item;
	return 0;
}

/* compare receives pointers to elements, that is `void **` disguised as `const void *`. */
void nhi_vec_sort(struct nhi_vec *vec, int (*compare)(const void *a, const void *b))
{
	if (vec->count > 1)
		qsort(vec->items, vec->count, sizeof(void *), compare);
}

void nhi_vec_dispose(struct nhi_vec *vec)
{
	free(vec->items);
	vec->items = NULL;
	vec->count = vec->alloc = 0;
}

void nhi_vec_dispose_all(struct nhi_vec *vec, void (*free_item)(void *item))
{
	for (size_t i = 0; i < vec->count; i++) {
		if (free_item)
			free_item(vec->items[i]);
		else
			free(vec->items[i]);
	}
	nhi_vec_dispose(vec);
}
