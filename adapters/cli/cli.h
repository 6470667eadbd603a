/*
 * The `omnitwin` command line: one function per subcommand, each in
 * adapters/cli/cmd_<name>.c. They parse their flags, wire adapters to the
 * engine and return an exit status; only main() exits.
 */
#ifndef OMNITWIN_CLI_H
#define OMNITWIN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "omnitwin/common.h"

/* Exit statuses (CONTRACT §1; 64 is sysexits' EX_USAGE for bad flags). */
enum {
    OT_EXIT_OK = 0,
    OT_EXIT_USAGE = 64,
    OT_EXIT_INPUT = 65,
    OT_EXIT_SERVICE = 69,
    OT_EXIT_INTERNAL = 70
};

int ot_cli_validate(int argc, char **argv);
int ot_cli_gen(int argc, char **argv);
int ot_cli_plan(int argc, char **argv);
int ot_cli_forecast(int argc, char **argv);
int ot_cli_stream(int argc, char **argv);
int ot_cli_replay(int argc, char **argv);
int ot_cli_disruptions(int argc, char **argv);

/* Prints every collected diagnostic to stderr, errors and warnings, and a
 * count line when some were not stored. */
void ot_cli_print_diag(const ot_diag *diag);

/* Maps an error code to the exit status of CONTRACT §1. */
int ot_cli_exit_status(ot_err err);

/* True when `arg` is "--help" or "-h". */
bool ot_cli_is_help(const char *arg);

/* Progress on stderr, only when stderr is a terminal: "\rLABEL: done/total". */
void ot_cli_progress(const char *label, unsigned long long done, unsigned long long total);
void ot_cli_progress_end(void);

/* Seconds on the monotonic clock, for timing a run's phases. */
double ot_cli_now_seconds(void);

/* Parses flag value s as a whole number in lo..hi; otherwise prints
 * "omnitwin COMMAND: FLAG 'S' is not a whole number in LO..HI" and returns
 * false. */
bool ot_cli_parse_long(const char *command, const char *flag, const char *s, long lo, long hi,
                       long *out);

/* Creates the output directory dir (its parent must exist) or accepts an
 * existing one; OT_ERR_IO with the reason in diag otherwise. */
ot_err ot_cli_make_dir(const char *dir, ot_diag *diag);

#endif
