/*
 * Thread-local storage for the last error message; see error.h.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

/* NOTE: messages longer than this are cut; 1 KiB holds a long path and its explanation. */
#define ERROR_MESSAGE_MAX 1024

static _Thread_local char last_message[ERROR_MESSAGE_MAX];
static _Thread_local int last_code;

int nhi_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int nhi_error_prefix(int code, const char *prefix)
{
	char message[ERROR_MESSAGE_MAX];

	snprintf(message, sizeof(message), "%s", last_message);
	return nhi_error_set(code, "%s%s", prefix, message);
}

const char *nhi_error_last(void)
{
	return last_message[0] ? last_message : "unknown error";
}

int nhi_error_last_code(void)
{
	return last_code;
}

void nhi_error_clear(void)
{
	last_message[0] = '\0';
	last_code = NHI_OK;
}
