/*
 * Text writer: what a person reads in a terminal or a CI log. One block per finding, then a
 * summary line; colours only when the CLI says the output is a terminal and NO_COLOR is unset.
 * Paths are written in display form (see git/path.h), so a file name cannot send control
 * characters to the terminal.
 */
#include "output/output.h"
#include "core/finding.h"
#include "git/path.h"

#define COLOR_RESET "\033[0m"
#define COLOR_BOLD "\033[1m"
#define COLOR_DIM "\033[2m"

static const char *severity_color(enum nhi_severity severity)
{
	switch (severity) {
	case NHI_SEVERITY_CRITICAL: return "\033[1;31m";
	case NHI_SEVERITY_HIGH: return "\033[31m";
	case NHI_SEVERITY_MEDIUM: return "\033[33m";
	default: return "\033[36m";
	}
}

static int write_location(struct nhi_buf *out, const struct nhi_finding *f)
{
	struct nhi_buf path = NHI_BUF_INIT;
	bool escaped;
	int error;

	if ((error = nhi_git_path_display(&path, f->path, &escaped)) == 0)
		error = nhi_buf_printf(out, "  %s:%zu:%zu", path.ptr, f->line, f->column);
	nhi_buf_dispose(&path);
	return error;
}

static int write_finding(struct nhi_buf *out, const struct nhi_finding *f, bool color)
{
	const char *sev = color ? severity_color(f->severity) : "";
	const char *bold = color ? COLOR_BOLD : "";
	const char *dim = color ? COLOR_DIM : "";
	const char *reset = color ? COLOR_RESET : "";
	int error;

	error = nhi_buf_printf(out, "%s%s%s %s%s%s [%s]\n", sev, config_severity_name(f->severity), reset,
			       bold, f->rule_name, reset, f->rule_id);
	if (error == 0)
		error = write_location(out, f);
	if (error == 0 && f->redacted)
		error = nhi_buf_printf(out, "  %s  %sfingerprint %s%s", f->redacted, dim, f->fingerprint, reset);
	if (error == 0 && f->validated == 0)
		error = nhi_buf_puts(out, "  (checksum does not match)");
	if (error == 0)
		error = nhi_buf_putc(out, '\n');
	if (error == 0 && f->message)
		error = nhi_buf_printf(out, "  %s\n", f->message);
	if (error == 0 && f->commit)
		error = nhi_buf_printf(out, "  introduced in %.12s by %s <%s> on %s\n", f->commit,
				       f->author ? f->author : "?", f->email ? f->email : "?",
				       f->date ? f->date : "?");
	if (error == 0 && f->earlier_unreadable)
		error = nhi_buf_printf(out, "  or earlier: an older version of this file (%s) could not be read\n",
				       f->earlier_unreadable);
	if (error == 0 && f->remediation)
		error = nhi_buf_printf(out, "  %sfix:%s %s\n", dim, reset, f->remediation);
	return error ? error : nhi_buf_putc(out, '\n');
}

#define ALLOW_HINT \
	"to allow a false positive, add the comment 'nhiscan:allow' on its line or its fingerprint to allow-fingerprints in .nhiscan.yaml"

int output_write_text(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta)
{
	const struct nhi_scan_stats *s = meta->stats;
	int error = 0;

	for (size_t i = 0; i < findings->count && error == 0; i++)
		error = write_finding(out, findings->items[i], meta->color);
	if (error < 0)
		return error;
	if (meta->quiet)
		return findings->count ? nhi_buf_puts(out, ALLOW_HINT "\n") : 0;

	if (findings->count == 0)
		error = nhi_buf_puts(out, "no findings");
	else
		error = nhi_buf_printf(out, "%zu finding%s", findings->count, findings->count == 1 ? "" : "s");
	if (error == 0 && s)
		error = nhi_buf_printf(out, " in %zu file%s (%.1f MB) in %.0f ms; skipped %zu binary, %zu too large, %zu unreadable",
				       s->files_scanned, s->files_scanned == 1 ? "" : "s",
				       (double)s->bytes_scanned / 1e6, s->elapsed_ms,
				       s->skipped_binary, s->skipped_large, s->unreadable);
	if (error == 0 && findings->count)
		error = nhi_buf_puts(out, "\n" ALLOW_HINT);
	return error ? error : nhi_buf_putc(out, '\n');
}
