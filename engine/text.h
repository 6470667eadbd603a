/* Bounded formatting into memory (internal to engine/ and adapters/). */
#ifndef OMNITWIN_TEXT_H
#define OMNITWIN_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/* Like snprintf, but returns the number of bytes actually written (never
 * more than size - 1), so results can be chained safely. */
size_t ot_text_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t ot_text_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/* Writes at most size-1 bytes of s (len bytes) with non-printable bytes
 * shown as '?', and a NUL; for quoting outside data in messages. */
void ot_text_quote(char *buf, size_t size, const char *s, size_t len);

#endif
