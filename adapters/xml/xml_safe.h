/*
 * Safe XML reading with libxml2 2.9 for outside feeds (docs/DISRUPTIONS.md
 * "Safe parsing"):
 * - the document is bounded (OT_XML_MAX_BYTES) and must be UTF-8 (checked
 *   byte by byte before libxml2 sees it, the encoding declaration ignored);
 * - any DOCTYPE or ENTITY declaration is refused before parsing, so there is
 *   no DTD, no external entity and no entity expansion at all;
 * - libxml2 runs with XML_PARSE_NONET (never NOENT, DTDLOAD, DTDVALID or
 *   HUGE), its messages are captured into the ot_diag with their line and
 *   never printed;
 * - after parsing, element depth, attribute length and text length are
 *   bounded.
 */
#ifndef OMNITWIN_XML_SAFE_H
#define OMNITWIN_XML_SAFE_H

#include <libxml/tree.h>

#include "omnitwin/common.h"

#define OT_XML_MAX_BYTES ((size_t)64 << 20)
#define OT_XML_MAX_DEPTH 64
#define OT_XML_MAX_ATTR 4096
#define OT_XML_MAX_TEXT ((size_t)4 << 20)

/* Parses data[0..len) named `name` in messages. On success *out is a
 * document the caller frees with xmlFreeDoc. On failure returns OT_ERR_INPUT
 * or OT_ERR_LIMIT, diag says why and where, *out is NULL. */
ot_err ot_xml_parse_safe(const char *data, size_t len, const char *name, ot_diag *diag,
                         xmlDocPtr *out);

/* Reads the file (at most OT_XML_MAX_BYTES) and parses it as above;
 * OT_ERR_IO when it cannot be read. */
ot_err ot_xml_read_safe(const char *path, ot_diag *diag, xmlDocPtr *out);

/* Validates doc against the XSD at xsd_path; every violation is reported as
 * "NAME:LINE: element <x>: ..." Returns OT_ERR_INPUT on violations,
 * OT_ERR_IO when the schema cannot be read. */
ot_err ot_xml_validate(xmlDocPtr doc, const char *xsd_path, const char *name, ot_diag *diag);

/* Line of a node (lines past 65535 included). */
long ot_xml_line(const xmlNode *node);

/* Finds an installed data file: `sub`/`file` under $env_var if set (and
 * only there), else under the directories relative to the running binary
 * (../data/SUB for build/omnitwin in a source tree, ../share/omnitwin/SUB when installed)
 * and ./data/SUB. Writes the path into buf; false when none exists. */
bool ot_xml_find_data(const char *env_var, const char *sub, const char *file, char *buf,
                      size_t size);

#endif
