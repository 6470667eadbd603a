/* Disruption feeds from XML files (adapters/xml/disruption_xml.h). */
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>

#include "csv/effects_csv.h"
#include "xml/disruption_xml.h"
#include "xml/feed.h"
#include "xml/xml_safe.h"

bool ot_xml_schema_path(char *buf, size_t size)
{
    return ot_xml_find_data("OMNITWIN_SCHEMA_DIR", "schemas", "disruption.xsd", buf, size);
}

bool ot_xml_effects_path(char *buf, size_t size)
{
    return ot_xml_find_data("OMNITWIN_DATA_DIR", ".", "disruption-effects.csv", buf, size);
}

static void describe_root(ot_feed *feed, const xmlNode *root)
{
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : "";
    ot_feed_error(feed, root,
                  "root element <%s> in namespace '%.120s' is not a known feed (expected "
                  "{" OT_NS_OWN "}disruptions, {" OT_NS_CAP "}alert or {" OT_NS_DATEX
                  "}d2LogicalModel)", (const char *)root->name, ns);
}

static ot_err read_doc(xmlDocPtr doc, const char *name, ot_disruption_set *set,
                       ot_feed_refs *refs, ot_diag *diag)
{
    ot_feed feed = {name, diag, ot_arena_new(1 << 16), set, refs, 0};
    if (!feed.tmp)
        return OT_ERR_NOMEM;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (ot_feed_is(root, OT_NS_OWN, "disruptions")) {
        char xsd[PATH_MAX];
        ot_feed_read_own(&feed, root, ot_xml_schema_path(xsd, sizeof xsd) ? xsd : NULL);
    } else if (ot_feed_is(root, OT_NS_CAP, "alert")) {
        ot_feed_read_cap(&feed, root);
    } else if (ot_feed_is(root, OT_NS_DATEX, "d2LogicalModel")) {
        ot_feed_read_datex(&feed, root);
    } else {
        describe_root(&feed, root);
    }
    ot_arena_free(feed.tmp);
    return feed.errors ? OT_ERR_INPUT : OT_OK;
}

ot_err ot_xml_parse_disruptions(const char *data, size_t len, const char *name,
                                ot_disruption_set *set, ot_diag *diag)
{
    xmlDocPtr doc;
    ot_err err = ot_xml_parse_safe(data, len, name, diag, &doc);
    if (err != OT_OK)
        return err;
    ot_feed_refs refs = {0};
    err = read_doc(doc, name, set, &refs, diag);
    xmlFreeDoc(doc);
    if (err == OT_OK)
        ot_feed_refs_apply(&refs, set, diag);
    ot_feed_refs_release(&refs);
    return err;
}

ot_err ot_xml_read_disruptions(const char *const *paths, size_t n, ot_diag *diag,
                               ot_disruption_set **out)
{
    *out = NULL;
    ot_disruption_set *set = ot_disruption_set_new();
    if (!set)
        return OT_ERR_NOMEM;
    ot_err first = OT_OK;
    ot_feed_refs refs = {0};
    /* Every file is checked even after a bad one, to report all problems. */
    for (size_t i = 0; i < n; i++) {
        xmlDocPtr doc;
        ot_err err = ot_xml_read_safe(paths[i], diag, &doc);
        if (err == OT_OK) {
            err = read_doc(doc, paths[i], set, &refs, diag);
            xmlFreeDoc(doc);
        }
        if (err != OT_OK && first == OT_OK)
            first = err;
    }
    if (first == OT_OK)
        ot_feed_refs_apply(&refs, set, diag);
    ot_feed_refs_release(&refs);
    if (first != OT_OK) {
        ot_disruption_set_free(set);
        return first;
    }
    *out = set;
    return OT_OK;
}

ot_err ot_xml_load_effects(const char *path, ot_diag *diag, ot_effects **out)
{
    char found[PATH_MAX];
    if (!path) {
        if (!ot_xml_effects_path(found, sizeof found)) {
            ot_diag_report(diag, OT_DIAG_ERROR, NULL, 0,
                           "cannot find disruption-effects.csv (set OMNITWIN_DATA_DIR to the "
                           "directory holding it)");
            return OT_ERR_IO;
        }
        path = found;
    }
    return ot_csv_load_effects(path, diag, out);
}

/* Reads, then resolves over first_day .. first_day + days - 1, or over the
 * records' own span when use_span. */
static ot_err load(const char *const *paths, size_t n, const ot_twin *twin,
                   const char *effects_path, bool use_span, ot_day first_day, size_t days,
                   ot_diag *diag, ot_factors **out, ot_resolve_stats *stats)
{
    *out = NULL;
    ot_effects *effects = NULL;
    ot_disruption_set *set = NULL;
    ot_err err = ot_xml_load_effects(effects_path, diag, &effects);
    ot_err err2 = ot_xml_read_disruptions(paths, n, diag, &set);
    if (err == OT_OK)
        err = err2;
    if (err == OT_OK && use_span) {
        ot_day last;
        if (!ot_disruption_set_span(set, &first_day, &last))
            last = first_day;
        days = (size_t)((int64_t)last - first_day + 1);
        if (days > OT_XML_CHECK_MAX_DAYS)
            days = OT_XML_CHECK_MAX_DAYS;
    }
    if (err == OT_OK) {
        ot_resolve_options opts = {first_day, days, INT32_MAX};
        err = ot_disruption_resolve(set, twin, effects, &opts, diag, out, stats);
    }
    ot_disruption_set_free(set);
    ot_effects_free(effects);
    return err;
}

ot_err ot_xml_load_disruptions(const char *const *paths, size_t n, const ot_twin *twin,
                               const char *effects_path, ot_day first_day, size_t days,
                               ot_diag *diag, ot_factors **out, ot_resolve_stats *stats)
{
    return load(paths, n, twin, effects_path, false, first_day, days, diag, out, stats);
}

ot_err ot_xml_check_disruptions(const char *const *paths, size_t n, const ot_twin *twin,
                                const char *effects_path, ot_diag *diag,
                                ot_resolve_stats *stats)
{
    ot_factors *f = NULL;
    ot_err err = load(paths, n, twin, effects_path, true, 0, 0, diag, &f, stats);
    ot_factors_free(f);
    return err;
}
