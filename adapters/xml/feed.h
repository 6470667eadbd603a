/*
 * Internal to adapters/xml: the reading context shared by the three dialect
 * readers (feed_own.c, feed_cap.c, feed_datex.c) and their small helpers
 * over libxml2 trees. Messages read "FILE:LINE: element <x>: what is wrong
 * (expected ...)".
 */
#ifndef OMNITWIN_XML_FEED_H
#define OMNITWIN_XML_FEED_H

#include <libxml/tree.h>

#include "omnitwin/disruption.h"

#define OT_NS_OWN "urn:omnitwin:disruption:1"
#define OT_NS_CAP "urn:oasis:names:tc:emergency:cap:1.2"
#define OT_NS_DATEX "http://datex2.eu/schema/2/2_0"
#define OT_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

/* CAP references (Update/Cancel) collected over every file read together
 * and applied once all are read, so that the order of the files does not
 * matter (a glob may list an update before its alert). */
typedef struct {
    const char *group, *file, *alert;
    long line;
} ot_feed_ref;

typedef struct {
    ot_arena *arena;
    ot_feed_ref *items;
    size_t count, cap;
} ot_feed_refs;

typedef struct {
    const char *name;            /* file name for messages */
    ot_diag *diag;
    ot_arena *tmp;               /* strings and arrays of this file */
    ot_disruption_set *set;
    ot_feed_refs *refs;          /* where CAP references go */
    size_t errors;
} ot_feed;

/* Remembers a reference (strings copied); false when out of memory. */
bool ot_feed_refs_add(ot_feed_refs *refs, const char *group, const char *file,
                      const char *alert, long line);
/* Withdraws every referenced group; a group with no record is a warning
 * "FILE:LINE: alert 'X' references 'G', which is in none of the feeds". */
void ot_feed_refs_apply(const ot_feed_refs *refs, ot_disruption_set *set, ot_diag *diag);
void ot_feed_refs_release(ot_feed_refs *refs);

/* Readers of one parsed document whose root is already known to be of
 * their dialect. They add records to feed->set and report problems; the
 * caller discards the set when feed->errors grew. */
void ot_feed_read_own(ot_feed *feed, xmlNode *root, const char *xsd_path);
void ot_feed_read_cap(ot_feed *feed, xmlNode *root);
void ot_feed_read_datex(ot_feed *feed, xmlNode *root);

void ot_feed_error(ot_feed *feed, const xmlNode *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ot_feed_warn(ot_feed *feed, const xmlNode *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when node is an element `local` in namespace ns. */
bool ot_feed_is(const xmlNode *node, const char *ns, const char *local);
/* First child element `local` (namespace ns), or NULL. */
xmlNode *ot_feed_child(const xmlNode *parent, const char *ns, const char *local);
/* Number of child elements `local`. */
size_t ot_feed_count(const xmlNode *parent, const char *ns, const char *local);
/* Text of node with surrounding whitespace trimmed, copied into feed->tmp;
 * never NULL ("" on allocation failure, which is counted as an error). */
const char *ot_feed_text(ot_feed *feed, const xmlNode *node);
/* Text of the first child `local`, or NULL when there is none. */
const char *ot_feed_child_text(ot_feed *feed, const xmlNode *parent, const char *ns,
                               const char *local);
/* Attribute value (no namespace) copied into feed->tmp, or NULL. */
const char *ot_feed_attr(ot_feed *feed, const xmlNode *node, const char *name);
/* Local part of the xsi:type attribute, or NULL. */
const char *ot_feed_xsi_type(ot_feed *feed, const xmlNode *node);

/* ISO-8601 date or date-time with a zone ("Z", "+hh:mm", "-hh:mm") or none
 * (UTC). *is_date tells a bare date. False when malformed. */
bool ot_feed_parse_time(const char *s, ot_ts *out, bool *is_date);
/* A required time child: reports a missing or malformed one. */
bool ot_feed_time_child(ot_feed *feed, const xmlNode *parent, const char *ns,
                        const char *local, bool required, ot_ts *out);
/* "lat,lon" (no spaces inside), both in range. */
bool ot_feed_parse_point(const char *s, size_t len, ot_geo_point *out);
/* A number with bounds; reports "element <x>: WHAT 'v' ... (expected ...)". */
bool ot_feed_number(ot_feed *feed, const xmlNode *node, const char *what, const char *text,
                    double lo, double hi, double *out);

/* Arena array helper: a copy of n pointers. */
const char **ot_feed_strs(ot_feed *feed, size_t n);

#endif
