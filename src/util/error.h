/*
 * Error codes and the last error message of the calling thread.
 *
 * Functions that can fail return 0 or one of the negative codes below and record a one-line
 * message with nhi_error_set(); callers pass the code up unchanged and only the CLI layer prints
 * nhi_error_last(). The message is kept per thread, so worker threads never overwrite each other.
 * A message names the file or value that failed and, where there is one, what to do about it.
 */
#ifndef NHI_UTIL_ERROR_H
#define NHI_UTIL_ERROR_H

enum nhi_error_code {
	NHI_OK = 0,
	NHI_ERROR = -1,    /* generic failure */
	NHI_ENOTFOUND = -2, /* a file, object or name does not exist */
	NHI_EINVALID = -3, /* invalid input: configuration, rule, argument or file content */
	NHI_EIO = -4,      /* a read or write failed */
	NHI_ENOMEM = -5,   /* out of memory */
	NHI_EUNSUPPORTED = -6, /* a format, version or platform we do not handle */
};

/* Record a printf-style message for this thread and return code, so `return nhi_error_set(...)` works. */
int nhi_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Put prefix before this thread's last message and return code. The message is copied first,
 * because nhi_error_set() writes into the buffer that nhi_error_last() returns.
 */
int nhi_error_prefix(int code, const char *prefix);

/* Return this thread's last message, or "unknown error" if none was recorded. */
const char *nhi_error_last(void);

/* Return this thread's last code (NHI_OK if none was recorded). */
int nhi_error_last_code(void);

void nhi_error_clear(void);

#endif
