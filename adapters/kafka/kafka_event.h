/*
 * Kafka message values as events (CONTRACT §3): either the CSV record of a
 * batch file without its header, or a JSON object with the same field
 * names, decoded with jansson (docs/OPERATIONS.md says why that library).
 */
#ifndef OMNITWIN_KAFKA_EVENT_H
#define OMNITWIN_KAFKA_EVENT_H

#include "csv/network_csv.h"

/* Longest message value accepted, in bytes; longer goes to dead letters. */
#define OT_KAFKA_EVENT_MAX_BYTES 65536

/* Splits one message value into the seven event fields, copied into
 * out->storage. A value whose first non-blank byte is '{' is read as JSON:
 * an object whose members event_id, ts, type, node_id, sku are strings, qty
 * an integer or a string, ref a string or null or absent; other members are
 * ignored. Anything else is read as one CSV record. On failure returns
 * OT_ERR_INPUT with a one-line reason in why. */
ot_err ot_kafka_event_decode(const void *value, size_t len, ot_event_record *out,
                             char *why, size_t why_size);

#endif
