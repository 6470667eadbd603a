/*
 * The load benchmark's peer: libcsv alone parsing the same files with
 * callbacks that only count fields and rows (what any loader built on
 * libcsv must pay at least). Prints "BYTES SECONDS" for all files given.
 * Built by scripts/bench_load.sh: cc -O2 libcsv_parse.c -lcsv
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned long long fields, rows;

static void on_field(void *s, size_t len, void *data) { (void)s; (void)len; (void)data; fields++; }
static void on_row(int c, void *data) { (void)c; (void)data; rows++; }

int main(int argc, char **argv)
{
    static char buf[1 << 20];
    unsigned long long bytes = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        struct csv_parser p;
        csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            bytes += n;
            if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) {
                fprintf(stderr, "%s: %s\n", argv[i], csv_strerror(csv_error(&p)));
                return 1;
            }
        }
        csv_fini(&p, on_field, on_row, NULL);
        csv_free(&p);
        fclose(f);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%llu %.3f %llu %llu\n", bytes, s, rows, fields);
    return 0;
}
