/*
 * Capped warning lists for the git modes; see warnings.h.
 */
#include "git/warnings.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Noun phrases for the summary line, indexed by kind. */
static const char *const kind_names[NHI_GIT_WARN_KIND_COUNT] = {
	"missing objects",
	"unreadable objects",
	"blobs over the size limit",
	"submodule entries",
	"paths with unusual bytes",
	"unresolvable references",
	"other problems",
};

static int push_warning(struct nhi_git_warnings *warnings, struct nhi_git_warning *warning)
{
	int error;

	if ((error = nhi_vec_push(&warnings->messages, warning)) < 0) {
		free(warning);
		return error;
	}
	warnings->listed[warning->kind]++;
	return 0;
}

int nhi_git_warnings_add(struct nhi_git_warnings *warnings, enum nhi_git_warning_kind kind,
			 const char *fmt, ...)
{
	struct nhi_buf text = NHI_BUF_INIT;
	struct nhi_git_warning *warning = NULL;
	va_list ap;
	int error;

	warnings->counts[kind]++;
	if (warnings->listed[kind] >= NHI_GIT_WARNINGS_LISTED)
		return 0;

	va_start(ap, fmt);
	error = nhi_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	if (error == 0 && !(warning = malloc(sizeof(*warning) + text.size + 1)))
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
	if (error == 0) {
		warning->kind = kind;
		memcpy(warning->text, text.ptr, text.size + 1);
		error = push_warning(warnings, warning);
	}
	nhi_buf_dispose(&text);
	return error;
}

int nhi_git_warnings_merge(struct nhi_git_warnings *dst, struct nhi_git_warnings *src)
{
	int error = 0;

	for (size_t i = 0; i < src->messages.count; i++) {
		struct nhi_git_warning *warning = src->messages.items[i];

		if (error < 0 || dst->listed[warning->kind] >= NHI_GIT_WARNINGS_LISTED)
			free(warning);
		else
			error = push_warning(dst, warning);
	}
	src->messages.count = 0;
	for (int kind = 0; kind < NHI_GIT_WARN_KIND_COUNT; kind++)
		dst->counts[kind] += src->counts[kind];
	return error;
}

static int push_copy(struct nhi_vec *out, const char *text)
{
	char *copy = strdup(text);
	int error;

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(out, copy)) < 0)
		free(copy);
	return error;
}

static int push_summary(struct nhi_vec *out, const struct nhi_git_warnings *warnings, int kind)
{
	struct nhi_buf line = NHI_BUF_INIT;
	int error;

	error = nhi_buf_printf(&line, "%zu more %s were skipped without a message (%zu in all)",
			       warnings->counts[kind] - warnings->listed[kind], kind_names[kind],
			       warnings->counts[kind]);
	if (error == 0)
		error = push_copy(out, line.ptr);
	nhi_buf_dispose(&line);
	return error;
}

static int compare_texts(const void *a, const void *b)
{
	const struct nhi_git_warning *x = *(const struct nhi_git_warning *const *)a;
	const struct nhi_git_warning *y = *(const struct nhi_git_warning *const *)b;

	return strcmp(x->text, y->text);
}

int nhi_git_warnings_finish(struct nhi_vec *out, struct nhi_git_warnings *warnings)
{
	int error = 0;

	/* Threads add warnings in any order; sorting makes the output the same on every run. */
	nhi_vec_sort(&warnings->messages, compare_texts);
	for (size_t i = 0; i < warnings->messages.count && error == 0; i++) {
		struct nhi_git_warning *warning = warnings->messages.items[i];

		error = push_copy(out, warning->text);
	}
	for (int kind = 0; kind < NHI_GIT_WARN_KIND_COUNT && error == 0; kind++)
		if (warnings->counts[kind] > warnings->listed[kind])
			error = push_summary(out, warnings, kind);
	return error;
}

void nhi_git_warnings_dispose(struct nhi_git_warnings *warnings)
{
	nhi_vec_dispose_all(&warnings->messages, NULL);
	memset(warnings, 0, sizeof(*warnings));
}
