/*
 * Growable array of pointers; see vec.h.
 */
#include "util/vec.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>

int nhi_array_reserve(void *items, size_t *alloc, size_t needed, size_t item_size)
{
	void **array = items;
	size_t grown = *alloc ? *alloc : 16;
	void *moved;

	if (needed <= *alloc)
		return 0;
	while (grown < needed) {
		if (grown > SIZE_MAX / 2 / item_size)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		grown *= 2;
	}
	if (!(moved = realloc(*array, grown * item_size)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	*array = moved;
	*alloc = grown;
	return 0;
}

int nhi_vec_push(struct nhi_vec *vec, void *item)
{
	int error;

	if ((error = nhi_array_reserve(&vec->items, &vec->alloc, vec->count + 1, sizeof(*vec->items))) < 0)
		return error;
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
