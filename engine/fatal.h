/*
 * The one place the engine may write: an assertion message to stderr just
 * before abort(). It uses write(2) through a function defined in
 * adapters/ (fatal_stderr.c) so that engine/ itself performs no I/O.
 */
#ifndef OMNITWIN_FATAL_H
#define OMNITWIN_FATAL_H

void ot_fatal_write(const char *prefix, const char *expr, const char *file, int line);

#endif
