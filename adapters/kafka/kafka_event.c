/* Kafka message values (CSV record or JSON object) into event fields. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "kafka/kafka_event.h"
#include "text.h"

static const char *const field_names[OT_EVENT_FIELDS] = {
    "event_id", "ts", "type", "node_id", "sku", "qty", "ref"};

/* Appends one field's text to out->storage; false when it does not fit. */
static bool store(ot_event_record *out, size_t *used, int field, const char *s, size_t len)
{
    if (len > sizeof out->storage - *used)
        return false;
    memcpy(out->storage + *used, s, len);
    out->fields.ptr[field] = out->storage + *used;
    out->fields.len[field] = len;
    *used += len;
    return true;
}

static ot_err decode_json(const char *value, size_t len, ot_event_record *out,
                          char *why, size_t why_size)
{
    json_error_t jerr;
    json_t *root = json_loadb(value, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        ot_text_format(why, why_size, "invalid JSON at byte %d: %s (expected one JSON object)",
                       jerr.position, jerr.text);
        return OT_ERR_INPUT;
    }
    ot_err err = OT_ERR_INPUT;
    size_t used = 0;
    if (!json_is_object(root)) {
        ot_text_format(why, why_size, "JSON value is not an object (expected {\"event_id\": ...})");
        goto done;
    }
    for (int f = 0; f < OT_EVENT_FIELDS; f++) {
        json_t *v = json_object_get(root, field_names[f]);
        char number[32];
        const char *s = NULL;
        size_t n = 0;
        if (json_is_string(v)) {
            s = json_string_value(v); /* never holds a NUL: jansson refuses \u0000 */
            n = json_string_length(v);
        } else if (f == 5 && json_is_integer(v)) {
            n = ot_text_format(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            s = number;
        } else if (f == 6 && (!v || json_is_null(v))) {
            s = "";
        } else {
            ot_text_format(why, why_size, "JSON member \"%s\" is %s (expected %s)", field_names[f],
                           v ? "of the wrong type" : "missing",
                           f == 5 ? "an integer or a string" : f == 6 ? "a string or null" : "a string");
            goto done;
        }
        if (!store(out, &used, f, s, n)) {
            ot_text_format(why, why_size, "JSON event fields are longer than %zu bytes together",
                           sizeof out->storage);
            goto done;
        }
    }
    err = OT_OK;
done:
    json_decref(root);
    return err;
}

ot_err ot_kafka_event_decode(const void *value, size_t len, ot_event_record *out,
                             char *why, size_t why_size)
{
    const char *s = value;
    if (!s || len == 0) {
        ot_text_format(why, why_size, "empty message value (expected an event record)");
        return OT_ERR_INPUT;
    }
    if (len > OT_KAFKA_EVENT_MAX_BYTES) {
        ot_text_format(why, why_size, "message value of %zu bytes is too long (expected at most %d)",
                       len, OT_KAFKA_EVENT_MAX_BYTES);
        return OT_ERR_INPUT;
    }
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (i < len && s[i] == '{')
        return decode_json(s, len, out, why, why_size);
    /* the common record without quotes is split without libcsv there */
    return ot_csv_split_event(s, len, out, why, why_size);
}
