/*
 * Writers of scan results. Each one renders the sorted findings of a scan into a buffer that the
 * CLI then writes to standard output or to a file; none of them sees a raw secret, only the
 * fingerprint and redacted preview that every finding carries.
 */
#ifndef NHI_OUTPUT_OUTPUT_H
#define NHI_OUTPUT_OUTPUT_H

#include <stdbool.h>

#include "core/scan.h"
#include "util/buf.h"
#include "util/vec.h"

enum nhi_output_format {
	NHI_FORMAT_TEXT,
	NHI_FORMAT_JSON,
	NHI_FORMAT_SARIF,
};

struct nhi_output_meta {
	const char *tool_version;
	const struct nhi_scan_stats *stats;
	bool color;              /* text only: ANSI colours */
	bool quiet;              /* text only: the findings alone, without the summary lines */
};

int output_write_text(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta);
int output_write_json(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta);
int output_write_sarif(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta);

int output_write(struct nhi_buf *out, enum nhi_output_format format, const struct nhi_vec *findings,
		 const struct nhi_output_meta *meta);

/* Return the length (1 to 4) of the valid UTF-8 sequence at p, or 0 when the bytes there are not one. */
size_t output_utf8_sequence_length(const unsigned char *p);

/* Append text as a JSON string literal; bytes that are not valid UTF-8 become U+FFFD. */
int output_json_string(struct nhi_buf *out, const char *text);

#endif
