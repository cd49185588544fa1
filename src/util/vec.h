/*
 * A growable array of pointers. The vector owns the array, not the elements: callers free
 * elements before nhi_vec_dispose() when they own them.
 */
#ifndef NHI_UTIL_VEC_H
#define NHI_UTIL_VEC_H

#include <stddef.h>

struct nhi_vec {
	void **items;
	size_t count;
	size_t alloc;
};

#define NHI_VEC_INIT { NULL, 0, 0 }

int nhi_vec_push(struct nhi_vec *vec, void *item);

/*
 * Make room for at least needed items of item_size bytes in the array that *items points to,
 * which has room for *alloc items, doubling from 16. items is the address of the array
 * pointer, of any element type. Returns 0, or NHI_ENOMEM with a message.
 */
int nhi_array_reserve(void *items, size_t *alloc, size_t needed, size_t item_size);
void nhi_vec_sort(struct nhi_vec *vec, int (*compare)(const void *a, const void *b));
void nhi_vec_dispose(struct nhi_vec *vec);

/* Free every element with free_item (may be NULL for plain free), then the array. */
void nhi_vec_dispose_all(struct nhi_vec *vec, void (*free_item)(void *item));

#endif
