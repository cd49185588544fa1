/*
 * `nhiscan merge -o OUTPUT SHARD...`: combine the output folders of the shards of one sweep
 * (`nhiscan sweep --shard K/N`) into one folder, as if one sweep had covered the whole list.
 * The work is in src/core/sweep_merge.c.
 */
#include "cli/cli.h"
#include "core/sweep.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_option merge_options[] = {
	{ "output", 'o', "DIR", "write the merged inventories and state to DIR (required)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_command cli_merge_command = {
	"merge",
	"nhiscan merge -o DIR SHARD_DIR...",
	"Combine the output folders of 'nhiscan sweep --shard K/N' runs into DIR: every\n"
	"repository's inventory, one state file and the organisation inventory built from all\n"
	"of them. Merging the N shards of a list gives the same files, byte for byte, as one\n"
	"sweep of the whole list. Exit status: 0 when merged, 2 on error.",
	merge_options,
	cmd_merge,
};

static int on_merge_option(void *payload, const char *name, const char *value)
{
	const char **output = payload;

	if (strcmp(name, "output") == 0)
		*output = value;
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	struct nhi_sweep_result result = { 0 };
	const char *output = NULL;
	char **positional = NULL;
	size_t positional_count = 0;
	int status;

	status = cli_parse(&cli_merge_command, argc, argv, on_merge_option, &output, &positional, &positional_count);
	if (status != 0)
		return status < 0 ? NHI_EXIT_CLEAN : status;
	if (!output) {
		cli_error("missing --output DIR; run 'nhiscan merge --help'");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if (positional_count == 0) {
		cli_error("nothing to merge; give the output folders of the shards");
		status = NHI_EXIT_ERROR;
		goto done;
	}

	if (core_sweep_merge(&result, output, positional, positional_count) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	printf("merged %zu shard%s: %zu repositor%s, %zu failed; %zu credential%s shared by several repositories\n",
	       positional_count, positional_count == 1 ? "" : "s", result.total, result.total == 1 ? "y" : "ies",
	       result.failed, result.reused_credentials, result.reused_credentials == 1 ? " is" : "s are");
	printf("organisation inventory: %s/%s\n", output, NHI_SWEEP_ORG_FILE);

done:
	core_sweep_result_dispose(&result);
	free(positional);
	return status;
}
