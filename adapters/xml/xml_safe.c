/* Safe XML reading with libxml2 (adapters/xml/xml_safe.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "xml/xml_safe.h"

typedef struct {
    const char *name;
    ot_diag *diag;
    size_t reported;
} error_sink;

/* Copies a libxml2 message without its trailing newline, without the
 * "Element 'x': " prefix (our messages name the element already) and
 * without "{namespace}" prefixes of names, which only make schema errors
 * harder to read. */
static void clean_message(const char *msg, char *buf, size_t size)
{
    const char *p = msg ? msg : "?";
    if (strncmp(p, "Element '", 9) == 0) {
        const char *close = strchr(p + 9, '\'');
        if (close && (close[1] == ',' || close[1] == ':') && close[2] == ' ')
            p = close + 3;
    }
    size_t o = 0;
    for (; *p && o + 1 < size; p++) {
        if (*p == '{') {
            size_t n = strcspn(p, "} '\"");
            if (p[n] == '}' && memchr(p, ':', n)) {
                p += n;
                continue;
            }
        }
        buf[o++] = *p == '\n' ? ' ' : *p;
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
}

static void on_error(void *ctx, xmlErrorPtr error)
{
    error_sink *sink = ctx;
    if (!error || error->level == XML_ERR_NONE)
        return;
    char msg[512];
    clean_message(error->message, msg, sizeof msg);
    long line = error->line;
    const xmlNode *node = error->node;
    ot_diag_level level = error->level == XML_ERR_WARNING ? OT_DIAG_WARNING : OT_DIAG_ERROR;
    if (node && node->type == XML_ELEMENT_NODE) {
        if (line <= 0)
            line = ot_xml_line(node);
        ot_diag_report(sink->diag, level, sink->name, line, "element <%s>: %s",
                       (const char *)node->name, msg);
    } else {
        ot_diag_report(sink->diag, level, sink->name, line, "XML: %s", msg);
    }
    sink->reported += level == OT_DIAG_ERROR;
}

/* libxml2 writes to stderr through the generic handler when no structured
 * one is set; this one swallows such output (every message we want reaches
 * on_error). */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static long line_at(const char *data, size_t pos)
{
    long line = 1;
    for (size_t i = 0; i < pos; i++)
        line += data[i] == '\n';
    return line;
}

/* Length of the valid UTF-8 sequence at p (end exclusive), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    if (c < 0x80)
        return c == 0 ? 0 : 1;
    size_t n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

static const char *find(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0)
            return data + i;
    return NULL;
}

/* Checks done on the raw bytes before libxml2 sees them. */
static ot_err prescan(const char *data, size_t len, const char *name, ot_diag *diag)
{
    if (len == 0) {
        ot_diag_report(diag, OT_DIAG_ERROR, name, 0, "empty file (expected an XML feed)");
        return OT_ERR_INPUT;
    }
    if (len > OT_XML_MAX_BYTES) {
        ot_diag_report(diag, OT_DIAG_ERROR, name, 0,
                       "file is %zu bytes (expected at most %zu MiB)", len,
                       OT_XML_MAX_BYTES >> 20);
        return OT_ERR_LIMIT;
    }
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    if (len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE))) {
        ot_diag_report(diag, OT_DIAG_ERROR, name, 1,
                       "UTF-16 byte order mark (expected a UTF-8 feed)");
        return OT_ERR_INPUT;
    }
    for (const unsigned char *q = p; q < end;) {
        size_t n = utf8_seq(q, end);
        if (!n) {
            ot_diag_report(diag, OT_DIAG_ERROR, name, line_at(data, (size_t)(q - p)),
                           "invalid UTF-8 (byte 0x%02X at offset %zu; expected a UTF-8 "
                           "feed without NUL bytes)", *q, (size_t)(q - p));
            return OT_ERR_INPUT;
        }
        q += n;
    }
    static const char *const refused[] = {"<!DOCTYPE", "<!ENTITY"};
    for (size_t i = 0; i < OT_ARRAY_LEN(refused); i++) {
        const char *at = find(data, len, refused[i]);
        if (at) {
            ot_diag_report(diag, OT_DIAG_ERROR, name, line_at(data, (size_t)(at - data)),
                           "%s declaration refused (feeds may not carry a DTD or entity "
                           "declarations: external entities and entity expansion are off)",
                           refused[i] + 2);
            return OT_ERR_INPUT;
        }
    }
    return OT_OK;
}

/* Depth, attribute and text bounds over the parsed tree (iterative). */
static ot_err check_bounds(xmlNode *root, const char *name, ot_diag *diag)
{
    ot_err err = OT_OK;
    int depth = 1;
    for (xmlNode *n = root; n;) {
        if (n->type == XML_ELEMENT_NODE) {
            if (depth > OT_XML_MAX_DEPTH) {
                ot_diag_report(diag, OT_DIAG_ERROR, name, ot_xml_line(n),
                               "element <%s>: nested %d deep (expected at most %d levels)",
                               (const char *)n->name, depth, OT_XML_MAX_DEPTH);
                return OT_ERR_LIMIT;
            }
            for (xmlAttr *a = n->properties; a; a = a->next) {
                size_t len = 0;
                for (xmlNode *t = a->children; t; t = t->next)
                    len += t->content ? strlen((const char *)t->content) : 0;
                if (len > OT_XML_MAX_ATTR) {
                    ot_diag_report(diag, OT_DIAG_ERROR, name, ot_xml_line(n),
                                   "element <%s>: attribute '%s' is %zu bytes (expected at "
                                   "most %d)", (const char *)n->name, (const char *)a->name,
                                   len, OT_XML_MAX_ATTR);
                    err = OT_ERR_LIMIT;
                }
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content && strlen((const char *)n->content) > OT_XML_MAX_TEXT) {
            ot_diag_report(diag, OT_DIAG_ERROR, name, ot_xml_line(n),
                           "text of %zu bytes (expected at most %zu MiB)",
                           strlen((const char *)n->content), OT_XML_MAX_TEXT >> 20);
            err = OT_ERR_LIMIT;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            depth++;
            continue;
        }
        while (n && !n->next && n != root) {
            n = n->parent;
            depth--;
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    return err;
}

static void handlers_on(error_sink *sink)
{
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(sink, on_error);
}

static void handlers_off(void)
{
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, silent);
}

ot_err ot_xml_parse_safe(const char *data, size_t len, const char *name, ot_diag *diag,
                         xmlDocPtr *out)
{
    *out = NULL;
    ot_err err = prescan(data, len, name, diag);
    if (err != OT_OK)
        return err;
    if (len > INT_MAX)
        return OT_ERR_LIMIT;
    error_sink sink = {name, diag, 0};
    handlers_on(&sink);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        handlers_off();
        return OT_ERR_NOMEM;
    }
    /* NONET: no network; NOENT/DTDLOAD/DTDVALID/HUGE stay off (FACTS.md).
     * NOCDATA folds CDATA into text; BIG_LINES keeps lines past 65535. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, "UTF-8", options);
    bool well_formed = ctxt->wellFormed && doc;
    xmlFreeParserCtxt(ctxt);
    handlers_off();
    if (!well_formed || sink.reported) {
        if (!sink.reported)
            ot_diag_report(diag, OT_DIAG_ERROR, name, 0, "XML: not well-formed");
        xmlFreeDoc(doc);
        return OT_ERR_INPUT;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        ot_diag_report(diag, OT_DIAG_ERROR, name, 0, "no root element (expected an XML feed)");
        xmlFreeDoc(doc);
        return OT_ERR_INPUT;
    }
    if (doc->intSubset || doc->extSubset) { /* defence in depth: prescan refuses these */
        ot_diag_report(diag, OT_DIAG_ERROR, name, 1, "DOCTYPE declaration refused");
        xmlFreeDoc(doc);
        return OT_ERR_INPUT;
    }
    err = check_bounds(root, name, diag);
    if (err != OT_OK) {
        xmlFreeDoc(doc);
        return err;
    }
    *out = doc;
    return OT_OK;
}

ot_err ot_xml_read_safe(const char *path, ot_diag *diag, xmlDocPtr *out)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
        return OT_ERR_IO;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = ot_malloc(cap);
    ot_err err = buf ? OT_OK : OT_ERR_NOMEM;
    while (err == OT_OK) {
        if (len == cap) {
            if (cap > OT_XML_MAX_BYTES) {
                ot_diag_report(diag, OT_DIAG_ERROR, path, 0,
                               "file is larger than %zu MiB (expected at most that)",
                               OT_XML_MAX_BYTES >> 20);
                err = OT_ERR_LIMIT;
                break;
            }
            /* One byte past the bound is enough to know the file is too big. */
            size_t next = cap * 2 > OT_XML_MAX_BYTES + 1 ? OT_XML_MAX_BYTES + 1 : cap * 2;
            char *grown = ot_realloc(buf, next);
            if (!grown) {
                err = OT_ERR_NOMEM;
                break;
            }
            buf = grown;
            cap = next;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp)) {
                ot_diag_report(diag, OT_DIAG_ERROR, path, 0, "read error: %s", strerror(errno));
                err = OT_ERR_IO;
            }
            break;
        }
    }
    fclose(fp);
    if (err == OT_OK)
        err = ot_xml_parse_safe(buf, len, path, diag, out);
    ot_free(buf);
    return err;
}

ot_err ot_xml_validate(xmlDocPtr doc, const char *xsd_path, const char *name, ot_diag *diag)
{
    error_sink sink = {xsd_path, diag, 0};
    handlers_on(&sink);
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewParserCtxt(xsd_path);
    xmlSchemaPtr schema = NULL;
    if (pctxt) {
        xmlSchemaSetParserStructuredErrors(pctxt, on_error, &sink);
        schema = xmlSchemaParse(pctxt);
        xmlSchemaFreeParserCtxt(pctxt);
    }
    if (!schema) {
        handlers_off();
        ot_diag_report(diag, OT_DIAG_ERROR, xsd_path, 0,
                       "cannot load the feed schema (set OMNITWIN_SCHEMA_DIR to the "
                       "directory holding disruption.xsd)");
        return OT_ERR_IO;
    }
    sink.name = name;
    sink.reported = 0;
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
    int rc = -1;
    if (vctxt) {
        xmlSchemaSetValidStructuredErrors(vctxt, on_error, &sink);
        rc = xmlSchemaValidateDoc(vctxt, doc);
        xmlSchemaFreeValidCtxt(vctxt);
    }
    xmlSchemaFree(schema);
    handlers_off();
    if (rc < 0)
        return OT_ERR_NOMEM;
    if (rc > 0 && !sink.reported)
        ot_diag_report(diag, OT_DIAG_ERROR, name, 0, "does not match disruption.xsd");
    return rc == 0 ? OT_OK : OT_ERR_INPUT;
}

long ot_xml_line(const xmlNode *node)
{
    long line = node ? xmlGetLineNo(node) : 0;
    return line > 0 ? line : 0;
}

static bool exists(const char *path) { return access(path, R_OK) == 0; }

bool ot_xml_find_data(const char *env_var, const char *sub, const char *file, char *buf,
                      size_t size)
{
    const char *env = env_var ? getenv(env_var) : NULL;
    if (env && *env) {
        int n = snprintf(buf, size, "%s/%s", env, file);
        return n > 0 && (size_t)n < size && exists(buf);
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* build/omnitwin in a source tree; PREFIX/bin/omnitwin installed */
        static const char *const rel[] = {"%s/../data/%s/%s", "%s/../share/omnitwin/%s/%s"};
        for (size_t i = 0; i < OT_ARRAY_LEN(rel); i++) {
            int n = snprintf(buf, size, rel[i], exe, sub, file);
            if (n > 0 && (size_t)n < size && exists(buf))
                return true;
        }
    }
    int n = snprintf(buf, size, "data/%s/%s", sub, file);
    return n > 0 && (size_t)n < size && exists(buf);
}
