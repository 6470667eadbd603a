/* Bounded formatting into memory. */
#include <stdio.h>

#include "text.h"

size_t ot_text_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    if (size == 0)
        return 0;
    int n = vsnprintf(buf, size, fmt, ap);
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n < size ? (size_t)n : size - 1;
}

size_t ot_text_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = ot_text_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void ot_text_quote(char *buf, size_t size, const char *s, size_t len)
{
    if (size == 0)
        return;
    size_t limit = size - 1, n = 0;
    for (size_t i = 0; i < len && n < limit; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (len > limit && limit >= 3) {
        buf[limit - 3] = buf[limit - 2] = buf[limit - 1] = '.';
        n = limit;
    }
    buf[n] = '\0';
}
