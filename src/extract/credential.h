/*
 * Checks that tell a credential written into a file from one that is only named there. A value is a reference when it contains one of the substitution syntaxes that clients
 * and CI systems resolve at run time (`${input:id}`, `${env:NAME}`, `${NAME}`, `$NAME`,
 * `${{ secrets.NAME }}`, `$(NAME)`, `{{ ... }}`, `%NAME%`); any other non-empty value is literal.
 * A literal counts as a secret when the field's name reads like a credential, or when the value
 * looks random enough to be one. In both cases the placeholder check of match/filter.h must not
 * take it for an example.
 */
#ifndef NHI_EXTRACT_CREDENTIAL_H
#define NHI_EXTRACT_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

/* Maximum length of a reference name, with its NUL; longer names are cut. */
#define EXTRACT_NAME_MAX 128

struct extract_reference {
	const char *store;             /* "env", "vscode-input", "secret", "variable", "template" ... */
	char name[EXTRACT_NAME_MAX];   /* the variable, input or secret named; may be "" */
	size_t offset;                 /* where the reference starts in the value */
	size_t len;
};

/* Find the first reference in value[0, len) and describe it in *out; false when there is none. */
bool extract_find_reference(struct extract_reference *out, const char *value, size_t len);

/* Return true when a variable, header, flag or parameter called name carries a credential. */
bool extract_name_is_credential(const char *name);

/*
 * Return where the secret starts in a literal value and how long it is: an "Authorization"
 * value such as "Bearer abc" carries its secret after the scheme word.
 */
void extract_secret_span(const char *value, size_t len, size_t *offset, size_t *secret_len);

/*
 * Return true when the literal value[0, len) reads like a real credential. name is the field
 * the value sits in, or NULL when it has none (a bare command-line argument).
 */
bool extract_value_is_secret(const char *name, const char *value, size_t len);

/* A credential inside a URL: the password of its user information or a query parameter. */
struct extract_url_secret {
	char name[EXTRACT_NAME_MAX]; /* "password" or the parameter name */
	size_t offset;               /* of the value in the URL */
	size_t len;
};

/* Find up to max credentials in url; return how many were written to out. */
size_t extract_url_secrets(struct extract_url_secret *out, size_t max, const char *url, size_t len);

/*
 * Write url to out (size bytes) with the value of each credential that extract_url_secrets()
 * finds replaced by "****", so that the URL can be kept in a fact. References stay as written.
 */
void extract_redact_url(char *out, size_t size, const char *url);

/* Return true for an http:// URL whose host is not the local machine. */
bool extract_url_is_insecure(const char *url);

#endif
