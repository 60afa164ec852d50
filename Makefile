# calque - build, test, install.
#
#   make                 library (static + shared) and build/calque
#   make check           the whole test suite, then again under ASan+UBSan
#   make demo            dedup the shipped sample corpus
#   make bench           benchmarks (bench/run, run-reuse, eval-reuse,
#                        eval-clough, run-html)
#   make install PREFIX=/usr/local
#
# Debian packages that are missing are installed by scripts/deps.sh.

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
STD      = -std=c11 -D_GNU_SOURCE
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wpointer-arith \
           -Wcast-qual -Wundef -Wvla
OPT     ?= -O2 -g
WERROR  ?= $(if $(CI),-Werror,)
PKGS     = libutf8proc libxxhash zlib libzstd gumbo

# Install what is missing before asking pkg-config about it (a no-op when
# everything is there; skipped for `make clean`).
ifeq ($(filter clean,$(MAKECMDGOALS)),)
DEPS_RC := $(shell sh scripts/deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/deps.sh could not install the Debian packages calque needs)
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
                echo -lutf8proc -lxxhash -lz -lzstd -lgumbo)
CFLAGS_ALL = $(STD) $(WARN) $(WERROR) $(OPT) -Iinclude -Ilib $(PKG_CFLAGS) \
             -fvisibility=hidden $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
CLI_SRC  := $(sort $(wildcard programs/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
PIC_OBJ  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer

.PHONY: all deps lib check test unit cli-test asan-check demo bench \
        install clean fuzz

all: lib $(BUILD)/calque $(BUILD)/gen

deps:
	@sh scripts/deps.sh

lib: $(BUILD)/libcalque.a $(BUILD)/libcalque.so

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libcalque.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libcalque.so: $(PIC_OBJ)
	$(CC) -shared -Wl,-soname,libcalque.so.0 -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/calque: $(CLI_OBJ) $(BUILD)/libcalque.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/gen: $(BUILD)/bench/gen.o
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ -lm

# HTML extraction speed and quality, page generator (bench/htmlbench.c).
$(BUILD)/htmlbench: $(BUILD)/bench/htmlbench.o $(BUILD)/libcalque.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/test-runner: $(TEST_OBJ) $(BUILD)/libcalque.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# Fuzzing: `make fuzz` builds the libFuzzer targets with clang (run them by
# hand: build/fuzz/fuzz_html tests/fuzz/corpus/html); fuzz-regress replays
# the corpus through the same targets as a plain test, in `make check`.
FUZZ_CC    ?= clang
FUZZ_FLAGS  = -O1 -g -fsanitize=fuzzer,address,undefined \
              -fno-omit-frame-pointer
fuzz: $(BUILD)/fuzz/fuzz_html $(BUILD)/fuzz/fuzz_warc

$(BUILD)/fuzz/fuzz_html: tests/fuzz/fuzz_html.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(FUZZ_FLAGS) -Iinclude -Ilib $(PKG_CFLAGS) $^ \
	    -o $@ $(LDLIBS_ALL)

$(BUILD)/fuzz/fuzz_warc: tests/fuzz/fuzz_warc.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(STD) $(FUZZ_FLAGS) -Iinclude -Ilib $(PKG_CFLAGS) $^ \
	    -o $@ $(LDLIBS_ALL)

$(BUILD)/fuzz-regress: $(BUILD)/tests/fuzz/regression_driver.o \
                       $(BUILD)/tests/fuzz/fuzz_html.o $(BUILD)/libcalque.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/fuzz-regress-warc: $(BUILD)/tests/fuzz/regression_driver.o \
                            $(BUILD)/tests/fuzz/fuzz_warc.o $(BUILD)/libcalque.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# The suite: unit tests, then the golden CLI cases, then both again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
check: all $(BUILD)/test-runner
	$(BUILD)/test-runner
	$(MAKE) --no-print-directory $(BUILD)/fuzz-regress && \
	    $(BUILD)/fuzz-regress tests/fuzz/corpus/html
	$(MAKE) --no-print-directory $(BUILD)/fuzz-regress-warc && \
	    $(BUILD)/fuzz-regress-warc tests/fuzz/corpus/warc
	sh tests/cli/run.sh $(BUILD)/calque $(BUILD)/gen
	sh bench/test-gen.sh $(BUILD)/gen $(BUILD)/calque
	$(MAKE) --no-print-directory asan-check

test: check

asan-check:
	$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	    EXTRA_CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	    build/asan/calque build/asan/test-runner build/asan/fuzz-regress \
	    build/asan/fuzz-regress-warc
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    build/asan/test-runner
	build/asan/fuzz-regress tests/fuzz/corpus/html
	build/asan/fuzz-regress-warc tests/fuzz/corpus/warc
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/cli/run.sh build/asan/calque $(BUILD)/gen

demo: all
	$(BUILD)/calque dedup samples/news.jsonl

bench: all $(BUILD)/htmlbench
	@sh scripts/deps.sh --bench
	@st=0; for b in run run-reuse eval-reuse eval-clough run-html; do \
	    echo "== bench/$$b"; sh bench/$$b || st=1; done; exit $$st

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/calque $(DESTDIR)$(PREFIX)/bin/
	install -m 644 include/calque.h include/calque_errors.h \
	    $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/libcalque.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcalque.so \
	    $(DESTDIR)$(PREFIX)/lib/libcalque.so.0
	ln -sf libcalque.so.0 $(DESTDIR)$(PREFIX)/lib/libcalque.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|0.1.0|' \
	    -e 's|@REQUIRES@|$(PKGS)|' calque.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/calque.pc
	install -m 644 programs/calque.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
