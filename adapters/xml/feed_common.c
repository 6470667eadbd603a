/* Helpers shared by the feed readers (adapters/xml/feed.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "text.h"
#include "xml/feed.h"
#include "xml/xml_safe.h"

static void vreport(ot_feed *feed, ot_diag_level level, const xmlNode *node, const char *fmt,
                    va_list ap)
{
    char msg[768];
    ot_text_vformat(msg, sizeof msg, fmt, ap);
    if (node)
        ot_diag_report(feed->diag, level, feed->name, ot_xml_line(node), "element <%s>: %s",
                       (const char *)node->name, msg);
    else
        ot_diag_report(feed->diag, level, feed->name, 0, "%s", msg);
}

void ot_feed_error(ot_feed *feed, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(feed, OT_DIAG_ERROR, node, fmt, ap);
    va_end(ap);
    feed->errors++;
}

void ot_feed_warn(ot_feed *feed, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(feed, OT_DIAG_WARNING, node, fmt, ap);
    va_end(ap);
}

bool ot_feed_is(const xmlNode *node, const char *ns, const char *local)
{
    return node && node->type == XML_ELEMENT_NODE &&
           strcmp((const char *)node->name, local) == 0 && node->ns && node->ns->href &&
           strcmp((const char *)node->ns->href, ns) == 0;
}

xmlNode *ot_feed_child(const xmlNode *parent, const char *ns, const char *local)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (ot_feed_is(c, ns, local))
            return c;
    return NULL;
}

size_t ot_feed_count(const xmlNode *parent, const char *ns, const char *local)
{
    size_t n = 0;
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        n += ot_feed_is(c, ns, local);
    return n;
}

static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static const char *copy_trimmed(ot_feed *feed, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    while (len && space(s[len - 1]))
        len--;
    while (len && space(*s)) {
        s++;
        len--;
    }
    const char *copy = ot_arena_strndup(feed->tmp, s ? s : "", len);
    if (!copy) {
        feed->errors++;
        ot_diag_report(feed->diag, OT_DIAG_ERROR, feed->name, 0, "out of memory");
        return "";
    }
    return copy;
}

const char *ot_feed_text(ot_feed *feed, const xmlNode *node)
{
    xmlChar *content = xmlNodeGetContent(node);
    const char *copy = copy_trimmed(feed, (const char *)content);
    xmlFree(content);
    return copy;
}

const char *ot_feed_child_text(ot_feed *feed, const xmlNode *parent, const char *ns,
                               const char *local)
{
    xmlNode *c = ot_feed_child(parent, ns, local);
    return c ? ot_feed_text(feed, c) : NULL;
}

const char *ot_feed_attr(ot_feed *feed, const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    const char *copy = copy_trimmed(feed, (const char *)v);
    xmlFree(v);
    return copy;
}

const char *ot_feed_xsi_type(ot_feed *feed, const xmlNode *node)
{
    xmlChar *v = xmlGetNsProp(node, (const xmlChar *)"type", (const xmlChar *)OT_NS_XSI);
    if (!v)
        return NULL;
    const char *colon = strrchr((const char *)v, ':');
    const char *copy = copy_trimmed(feed, colon ? colon + 1 : (const char *)v);
    xmlFree(v);
    return copy;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool ot_feed_parse_time(const char *s, ot_ts *out, bool *is_date)
{
    size_t len = strlen(s);
    if (len == 10) {
        ot_day day;
        if (!ot_date_parse(s, len, &day))
            return false;
        *out = (ot_ts)day * 86400;
        *is_date = true;
        return true;
    }
    /* YYYY-MM-DDTHH:MM:SS, then optional .fraction, then optional zone. */
    if (len < 19 || !ot_ts_parse(s, 19, out))
        return false;
    size_t i = 19;
    if (i < len && s[i] == '.') {
        size_t j = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return false;
    }
    *is_date = false;
    if (i == len)
        return true;
    if (s[i] == 'Z')
        return i + 1 == len;
    if ((s[i] == '+' || s[i] == '-') && len - i == 6 && digits(s + i + 1, 2) &&
        s[i + 3] == ':' && digits(s + i + 4, 2)) {
        int hh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        int mm = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
        if (hh > 14 || mm > 59)
            return false;
        ot_ts offset = (ot_ts)hh * 3600 + mm * 60;
        /* Local time minus a positive offset is UTC. */
        *out += s[i] == '+' ? -offset : offset;
        return true;
    }
    return false;
}

bool ot_feed_time_child(ot_feed *feed, const xmlNode *parent, const char *ns,
                        const char *local, bool required, ot_ts *out)
{
    xmlNode *c = ot_feed_child(parent, ns, local);
    if (!c) {
        if (required)
            ot_feed_error(feed, parent, "missing <%s> (expected an ISO-8601 date-time)", local);
        return false;
    }
    const char *text = ot_feed_text(feed, c);
    bool is_date;
    if (!ot_feed_parse_time(text, out, &is_date)) {
        ot_feed_error(feed, c, "'%.64s' is not a date-time (expected ISO-8601, e.g. "
                               "2026-03-02T06:00:00-05:00)", text);
        return false;
    }
    return true;
}

bool ot_feed_parse_point(const char *s, size_t len, ot_geo_point *out)
{
    const char *comma = memchr(s, ',', len);
    if (!comma)
        return false;
    double lat, lon;
    if (!ot_parse_double(s, (size_t)(comma - s), &lat) ||
        !ot_parse_double(comma + 1, len - (size_t)(comma - s) - 1, &lon))
        return false;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
        return false;
    *out = (ot_geo_point){lat, lon};
    return true;
}

bool ot_feed_number(ot_feed *feed, const xmlNode *node, const char *what, const char *text,
                    double lo, double hi, double *out)
{
    double x;
    if (!ot_parse_double(text, strlen(text), &x) || !isfinite(x) || x < lo || x > hi) {
        ot_feed_error(feed, node, "%s '%.64s' is not a number in %g..%g", what, text, lo, hi);
        return false;
    }
    *out = x;
    return true;
}

const char **ot_feed_strs(ot_feed *feed, size_t n)
{
    const char **a = ot_arena_alloc(feed->tmp, (n ? n : 1) * sizeof *a);
    if (!a) {
        feed->errors++;
        ot_diag_report(feed->diag, OT_DIAG_ERROR, feed->name, 0, "out of memory");
    }
    return a;
}

bool ot_feed_refs_add(ot_feed_refs *refs, const char *group, const char *file,
                      const char *alert, long line)
{
    if (!refs->arena && !(refs->arena = ot_arena_new(1 << 12)))
        return false;
    if (refs->count == refs->cap) {
        size_t cap = refs->cap ? refs->cap * 2 : 16;
        ot_feed_ref *items = ot_reallocarray(refs->items, cap, sizeof *items);
        if (!items)
            return false;
        refs->items = items;
        refs->cap = cap;
    }
    ot_feed_ref r = {ot_arena_strndup(refs->arena, group, strlen(group)),
                     ot_arena_strndup(refs->arena, file, strlen(file)),
                     ot_arena_strndup(refs->arena, alert, strlen(alert)), line};
    if (!r.group || !r.file || !r.alert)
        return false;
    refs->items[refs->count++] = r;
    return true;
}

void ot_feed_refs_apply(const ot_feed_refs *refs, ot_disruption_set *set, ot_diag *diag)
{
    for (size_t i = 0; i < refs->count; i++) {
        const ot_feed_ref *r = &refs->items[i];
        if (ot_disruption_set_withdraw(set, r->group) == 0)
            ot_diag_report(diag, OT_DIAG_WARNING, r->file, r->line,
                           "element <references>: alert '%s' references '%s', which is in "
                           "none of the feeds read (nothing withdrawn)", r->alert, r->group);
    }
}

void ot_feed_refs_release(ot_feed_refs *refs)
{
    ot_arena_free(refs->arena);
    ot_free(refs->items);
    memset(refs, 0, sizeof *refs);
}
