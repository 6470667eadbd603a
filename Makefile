# omnitwin — GNU make build.
#
#   make            build build/omnitwin (installs missing packages first)
#   make demo       validate and plan the bundled sample network
#   make test       lint, sanitizer-instrumented unit tests, integration tests
#   make bench      benchmarks (docs/BENCHMARKS.md records them)
#   make fuzz       a short run of every fuzz harness (clang, libFuzzer)
#   make install    PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address,undefined   instrumented build in build-san/

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZE ?=

BUILD := build$(if $(SANITIZE),-san)

PKGS     := libxml-2.0 rdkafka jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
              -Iinclude -Iengine -Iadapters -MMD -MP -pthread
LDLIBS   := $(PKG_LIBS) -lglpk -lcsv -lm -pthread

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

ENGINE_SRC  := $(sort $(wildcard engine/*.c))
ADAPTER_SRC := $(sort $(filter-out adapters/cli/main.c,$(wildcard adapters/*/*.c)))
TEST_SRC    := $(sort $(wildcard tests/check_*.c))

ENGINE_OBJ  := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
ADAPTER_OBJ := $(ADAPTER_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/check_main.o

BIN        := $(BUILD)/omnitwin
CHECK_BIN  := $(BUILD)/check_omnitwin

.PHONY: all deps demo test unit integration lint check-layering check-banned \
        bench fuzz install clean unit-run integration-run

all: deps $(BIN)

deps:
	@scripts/deps.sh

$(BIN): $(ENGINE_OBJ) $(ADAPTER_OBJ) $(BUILD)/adapters/cli/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The test runner lists every suite found in tests/check_*.c: each file
# defines `Suite *ot_suite_<name>(void)`.
$(BUILD)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@grep -ho 'Suite \*ot_suite_[a-z0-9_]*(void)' $(TEST_SRC) /dev/null | \
	  sed 's/Suite \*\(ot_suite_[a-z0-9_]*\)(void)/OT_SUITE(\1)/' | sort -u > $@.tmp
	@mv $@.tmp $@

$(BUILD)/tests/check_main.o: tests/check_main.c $(BUILD)/tests/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -I$(BUILD)/tests -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(CHECK_BIN): $(ENGINE_OBJ) $(ADAPTER_OBJ) $(TEST_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

demo: all
	@scripts/demo.sh $(BIN)

# make test: static checks, then unit tests and integration tests against
# the sanitizer-instrumented build (the Kafka broker is started and stopped
# by the integration runner).
test: deps lint
	@$(MAKE) --no-print-directory SANITIZE=address,undefined unit-run integration-run

unit-run: $(CHECK_BIN) $(BIN)
	$(CHECK_BIN)

integration-run: $(BIN)
	@tests/integration/run.sh $(BIN)

lint: check-layering check-banned

# The engine is pure computation: no third-party library, no file or
# terminal I/O (formatting into memory with snprintf is fine).
check-layering:
	@bad=$$(grep -lE '#include *[<"](glpk\.h|librdkafka/|csv\.h|libxml/|jansson\.h|unistd\.h|fcntl\.h|pthread\.h|sys/)' engine/*.c engine/*.h include/omnitwin/*.h 2>/dev/null; \
	        grep -lE '\b(fopen|fclose|fread|fwrite|fprintf|printf|puts|fputs|fgets|perror|getchar)\s*\(' engine/*.c engine/*.h 2>/dev/null); \
	 if [ -n "$$bad" ]; then echo "check-layering: engine/ or include/ does I/O or uses a library: $$bad"; exit 1; fi; \
	 echo "check-layering: engine/ is free of I/O and third-party libraries"

check-banned:
	@bad=$$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atof|gets)\s*\(' \
	        engine/*.c adapters/*/*.c tests/*.c 2>/dev/null); \
	 if [ -n "$$bad" ]; then echo "check-banned: unsafe calls:"; echo "$$bad"; exit 1; fi; \
	 echo "check-banned: no unsafe calls"

bench: all
	@scripts/bench.sh $(BIN)

fuzz:
	@scripts/fuzz.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/omnitwin/schemas
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/omnitwin
	install -m 0644 data/schemas/*.xsd $(DESTDIR)$(PREFIX)/share/omnitwin/schemas/
	install -m 0644 data/disruption-effects.csv $(DESTDIR)$(PREFIX)/share/omnitwin/

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
