/* `omnitwin`: dispatches to the subcommands of CONTRACT §1. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"plan", ot_cli_plan, "run the nightly replenishment plan (orders, forecast, report)"},
    {"forecast", ot_cli_forecast, "forecast daily demand per node and SKU, with backtests"},
    {"validate", ot_cli_validate, "check a network directory, event files and feeds"},
    {"stream", ot_cli_stream, "keep the twin live from Kafka and plan on demand"},
    {"replay", ot_cli_replay, "replay a past disruption: baseline, unforeseen, foreseen"},
    {"disruptions", ot_cli_disruptions, "show the factors that disruption feeds resolve to"},
    {"gen", ot_cli_gen, "write a synthetic network of any size"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: omnitwin COMMAND [OPTIONS]\n\n"
            "omnitwin keeps a retailer's network as a live twin and plans\n"
            "replenishment, transfers and purchases with a linear program.\n\n"
            "commands:\n");
    for (size_t i = 0; i < OT_ARRAY_LEN(commands); i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n'omnitwin COMMAND --help' describes a command's flags.\n"
            "exit status: 0 ok, 64 bad usage, 65 bad input, 69 service unreachable,\n"
            "70 internal error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return OT_EXIT_USAGE;
    }
    if (ot_cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return OT_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("omnitwin 0.1.0");
        return OT_EXIT_OK;
    }
    for (size_t i = 0; i < OT_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "omnitwin: unknown command '%s' (expected one of: plan, forecast, "
                    "validate, stream, replay, disruptions, gen)\n", argv[1]);
    return OT_EXIT_USAGE;
}
