/*
 * Disruption feeds from XML files (CONTRACT §4, docs/DISRUPTIONS.md): the
 * dialect is detected from the root element and its namespace —
 *   {urn:omnitwin:disruption:1}disruptions        omnitwin's own feed
 *   {urn:oasis:names:tc:emergency:cap:1.2}alert    OASIS CAP 1.2
 *   {http://datex2.eu/schema/2/2_0}d2LogicalModel  DATEX II v2 situations
 * Files are read safely (adapters/xml/xml_safe.h); a CAP Update or Cancel
 * withdraws the alerts it references in any of the files, whatever their
 * order; a later DATEX record version replaces an earlier one (file order).
 *
 * All or nothing: on any error the functions return OT_ERR_INPUT (or
 * OT_ERR_IO / OT_ERR_LIMIT), *out stays NULL, and diag holds every problem
 * as "FILE:LINE: element <x>: what is wrong (expected ...)".
 */
#ifndef OMNITWIN_DISRUPTION_XML_H
#define OMNITWIN_DISRUPTION_XML_H

#include "omnitwin/disruption.h"

/* Reads files paths[0..n-1] into a new record set (caller frees with
 * ot_disruption_set_free). */
ot_err ot_xml_read_disruptions(const char *const *paths, size_t n, ot_diag *diag,
                               ot_disruption_set **out);

/* Adds the records of one feed held in memory to set (used by the fuzz
 * harness and tests). On error the set may hold some of its records: the
 * caller discards the set. */
ot_err ot_xml_parse_disruptions(const char *data, size_t len, const char *name,
                                ot_disruption_set *set, ot_diag *diag);

/* Where the own-format schema is: $OMNITWIN_SCHEMA_DIR/disruption.xsd, or
 * data/schemas/ of the build tree, or PREFIX/share/omnitwin/schemas/ next to
 * the installed binary, or ./data/schemas/. False when not found. */
bool ot_xml_schema_path(char *buf, size_t size);

/* Where the default effects table is: $OMNITWIN_DATA_DIR/disruption-
 * effects.csv, or data/ of the build tree, or PREFIX/share/omnitwin/. */
bool ot_xml_effects_path(char *buf, size_t size);

/* Loads the effects table at path, or the default one (above) when path is
 * NULL: OT_ERR_IO when there is none. Caller frees with ot_effects_free. */
ot_err ot_xml_load_effects(const char *path, ot_diag *diag, ot_effects **out);

/* The whole chain: reads the feeds, loads the effects table (effects_path,
 * or the default one when NULL), resolves against the twin for days
 * first_day .. first_day + days - 1 into a new factor store the caller
 * frees (ot_factors_free). stats may be NULL. */
ot_err ot_xml_load_disruptions(const char *const *paths, size_t n, const ot_twin *twin,
                               const char *effects_path, ot_day first_day, size_t days,
                               ot_diag *diag, ot_factors **out, ot_resolve_stats *stats);

/* For `omnitwin validate --disruptions`: the whole chain over the days the
 * records span (at most OT_XML_CHECK_MAX_DAYS from the earliest start),
 * the factors discarded; every problem goes to diag. stats may be NULL. */
#define OT_XML_CHECK_MAX_DAYS 3660
ot_err ot_xml_check_disruptions(const char *const *paths, size_t n, const ot_twin *twin,
                                const char *effects_path, ot_diag *diag,
                                ot_resolve_stats *stats);

#endif
