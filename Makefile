# psramctl — host CLI, target stubs and the psramsim board simulator.
#
#   make            build everything into build/
#   make check      unit tests (sanitizers on) and end-to-end tests
#   make demo       psramctl --sim verify on the simulated board
#   make bench      performance figures into build/bench/ (see BENCHMARKS.md)
#   make bench-eid  only the eid figures, into build/bench/BENCHMARKS.md
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (fuzz/README.md)
#   make install PREFIX=/usr/local [DESTDIR=...]   programs, board files,
#                   man pages, bash completion
#   make deps       install the Debian packages the build and tests need
#
# V=1 shows the commands.

PREFIX ?= /usr/local
CC ?= cc
CROSS ?= arm-none-eabi-
BUILD ?= build

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings \
	-Wshadow -Wmissing-prototypes
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -g \
	$(WARN) -MMD -MP -Itarget-stubs/include $(CFLAGS)
HOST_LDFLAGS := $(LDFLAGS)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined

UNICORN_LIBS := -lunicorn -lpthread -lm
CLI_LIBS := -lusb-1.0 -lreadline -lm

SIM_SRC := $(filter-out sim/main.c,$(wildcard sim/*.c sim/*/*.c))
CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c cli/*/*.c))
UNIT_SIM_SRC := $(wildcard tests/unit/sim_*.c)
UNIT_CLI_SRC := $(wildcard tests/unit/cli_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SIM_SRC) $(UNIT_CLI_SRC))
UNIT_TESTS_SAN := $(patsubst tests/unit/%.c,$(BUILD)/unit-san/%,$(UNIT_SIM_SRC) $(UNIT_CLI_SRC))

# Target side: the stubs embedded in psramctl and the test programs that the
# end-to-end tests run on the simulated core.
TARGET_CC := $(CROSS)gcc
TARGET_OBJCOPY := $(CROSS)objcopy
TARGET_SIZE := $(CROSS)size
TARGET_CFLAGS := -mcpu=cortex-m7 -mthumb -mfloat-abi=soft -Os -g \
	-ffreestanding -fno-builtin -ffunction-sections -fdata-sections \
	-std=c11 -Wall -Wextra -Werror -Itarget-stubs/include -Itarget-stubs
TARGET_LDFLAGS := -nostartfiles -nostdlib -Wl,--gc-sections -lgcc

# Every stub image links the same objects and one table of commands and
# xSPI drivers from target-stubs/images/ (--gc-sections keeps what it
# reaches): stub.bin (images/full.c) has everything, stub-NAME.bin
# (images/NAME.c) a part, e.g. what eid runs on one transport.
STUB_SRC := $(filter-out target-stubs/images/%,\
	$(wildcard target-stubs/*/*.c target-stubs/*/*.S))
STUB_PARTS := $(filter-out full,$(basename $(notdir \
	$(wildcard target-stubs/images/*.c))))
STUB_LD := target-stubs/stub.ld
PROG_SRC := $(wildcard tests/progs/*.c)
PROG_COMMON := $(wildcard tests/progs/common/*.c tests/progs/common/*.S)
PROGS := $(patsubst tests/progs/%.c,$(BUILD)/progs/%.elf,$(PROG_SRC))

.PHONY: all check check-unit check-e2e demo bench bench-eid bench-mapped-full bench-spi-full install deps clean \
	progs stub \
	fuzz fuzzers

# Keep intermediate objects of pattern rules (test programs).
.SECONDARY:

all: $(BUILD)/psramsim $(BUILD)/psramctl progs

# ---- simulator -------------------------------------------------------------

# Each program's includes name a header by its path inside that program's
# folder ("periph/quadspi.h"), so each tree is its own include root.
TREE_INC = -I$(firstword $(subst /, ,$<))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(HOST_CFLAGS) $(TREE_INC) -c $< -o $@

$(BUILD)/obj-san/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)$(CC) $(HOST_CFLAGS) $(TREE_INC) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/libsim.a: $(SIM_SRC:%.c=$(BUILD)/obj/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libsim-san.a: $(SIM_SRC:%.c=$(BUILD)/obj-san/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/psramsim: $(BUILD)/obj/sim/main.o $(BUILD)/libsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(HOST_LDFLAGS) $^ -o $@ $(UNICORN_LIBS)

# psramsim with AddressSanitizer and UBSan, for the robustness tests.
$(BUILD)/psramsim-san: $(BUILD)/obj-san/sim/main.o $(BUILD)/libsim-san.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(HOST_LDFLAGS) $(SAN_FLAGS) $^ -o $@ $(UNICORN_LIBS)

# ---- target stubs, embedded into psramctl -----------------------------------

ifneq ($(STUB_SRC),)
STUB_OBJ := $(patsubst %,$(BUILD)/target/%.o,$(STUB_SRC))

# -MT $@: under -flto GCC would name the object by its absolute path in
# the .d file, which make never matches, and a changed header would not
# rebuild it.
$(BUILD)/target/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-CC  $<")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -MMD -MP -MT $@ -c $< -o $@

$(BUILD)/target/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-AS  $<")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -c $< -o $@

# The stubs are compiled for link-time optimisation: across files the
# linker inlines and drops what no image's tables reach, the bytes every
# command sends over the debug link before it runs.
$(BUILD)/target/target-stubs/%.o: TARGET_CFLAGS += -flto
$(STUB_OBJ) $(patsubst %,$(BUILD)/target/%.o,$(wildcard target-stubs/images/*.c)): Makefile

$(BUILD)/stub/stub.elf: $(STUB_OBJ) $(BUILD)/target/target-stubs/images/full.c.o $(STUB_LD)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-LD  $@")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -flto -T $(STUB_LD) $(filter %.o,$^) $(TARGET_LDFLAGS) -o $@
	$(Q)$(TARGET_SIZE) $@

$(BUILD)/stub/stub-%.elf: $(STUB_OBJ) $(BUILD)/target/target-stubs/images/%.c.o $(STUB_LD)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-LD  $@")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -flto -T $(STUB_LD) $(filter %.o,$^) $(TARGET_LDFLAGS) -o $@
	$(Q)$(TARGET_SIZE) $@

$(BUILD)/stub/%.bin: $(BUILD)/stub/%.elf
	$(Q)$(TARGET_OBJCOPY) -O binary $< $@

$(BUILD)/gen/stub_image.c: $(BUILD)/stub/stub.bin scripts/embed-binary
	@mkdir -p $(dir $@)
	$(Q)scripts/embed-binary stub_image $< > $@

$(BUILD)/gen/stub_symbols.c: $(BUILD)/stub/stub.elf scripts/embed-symbols
	@mkdir -p $(dir $@)
	$(Q)scripts/embed-symbols $(CROSS)nm stub_symbols $< > $@

$(BUILD)/gen/stub_%_image.c: $(BUILD)/stub/stub-%.bin scripts/embed-binary
	@mkdir -p $(dir $@)
	$(Q)scripts/embed-binary stub_$*_image $< > $@

$(BUILD)/gen/stub_%_symbols.c: $(BUILD)/stub/stub-%.elf scripts/embed-symbols
	@mkdir -p $(dir $@)
	$(Q)scripts/embed-symbols $(CROSS)nm stub_$*_symbols $< > $@

CLI_GEN := $(BUILD)/gen/stub_image.c $(BUILD)/gen/stub_symbols.c \
	$(STUB_PARTS:%=$(BUILD)/gen/stub_%_image.c) \
	$(STUB_PARTS:%=$(BUILD)/gen/stub_%_symbols.c)
stub: $(BUILD)/stub/stub.bin $(STUB_PARTS:%=$(BUILD)/stub/stub-%.bin)
else
CLI_GEN :=
stub:
endif

# ---- host CLI ---------------------------------------------------------------

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -Icli -Wno-missing-prototypes -c $< -o $@

$(BUILD)/libcli.a: $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(CLI_GEN:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libcli-san.a: $(CLI_SRC:%.c=$(BUILD)/obj-san/%.o) $(CLI_GEN:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

ifneq ($(wildcard cli/main.c),)
$(BUILD)/psramctl: $(BUILD)/obj/cli/main.o $(BUILD)/libcli.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(HOST_LDFLAGS) $^ -o $@ $(CLI_LIBS)
else
$(BUILD)/psramctl:
	@true
endif

# ---- test programs for the simulated core -----------------------------------

PROG_LD := tests/progs/common/prog.ld
PROG_COMMON_OBJ := $(patsubst %,$(BUILD)/target/%.o,$(PROG_COMMON))

$(BUILD)/progs/%.elf: $(BUILD)/target/tests/progs/%.c.o $(PROG_COMMON_OBJ) $(PROG_LD)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-LD  $@")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -T $(PROG_LD) $< $(PROG_COMMON_OBJ) $(TARGET_LDFLAGS) -o $@
	$(Q)$(TARGET_OBJCOPY) -O binary $@ $(@:.elf=.bin)

ifeq ($(STUB_SRC),)
$(BUILD)/target/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ARM-CC  $<")
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -MMD -MP -MT $@ -c $< -o $@

$(BUILD)/target/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(TARGET_CC) $(TARGET_CFLAGS) -c $< -o $@
endif

progs: $(PROGS)

# ---- tests ------------------------------------------------------------------

$(BUILD)/unit/sim_%: tests/unit/sim_%.c tests/unit/unit.c $(BUILD)/libsim.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT    $@")
	$(Q)$(CC) $(HOST_CFLAGS) -Isim -Itests/unit $< tests/unit/unit.c $(BUILD)/libsim.a -o $@ $(UNICORN_LIBS)

$(BUILD)/unit/cli_%: tests/unit/cli_%.c tests/unit/unit.c $(BUILD)/libcli.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT    $@")
	$(Q)$(CC) $(HOST_CFLAGS) -Icli -Itests/unit $< tests/unit/unit.c $(BUILD)/libcli.a -o $@ $(CLI_LIBS)

$(BUILD)/unit-san/sim_%: tests/unit/sim_%.c tests/unit/unit.c $(BUILD)/libsim-san.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT-SAN $@")
	$(Q)$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Isim -Itests/unit $< tests/unit/unit.c $(BUILD)/libsim-san.a -o $@ $(UNICORN_LIBS)

$(BUILD)/unit-san/cli_%: tests/unit/cli_%.c tests/unit/unit.c $(BUILD)/libcli-san.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UNIT-SAN $@")
	$(Q)$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Icli -Itests/unit $< tests/unit/unit.c $(BUILD)/libcli-san.a -o $@ $(CLI_LIBS)

# The test binaries build one per core even under a plain `make check`
# (a few hundred sanitizer and valgrind builds dominate its start-up).
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check: deps-if-missing
	$(Q)$(MAKE) --no-print-directory -j$(CHECK_JOBS) all $(UNIT_TESTS_SAN) \
		$(UNIT_TESTS) $(BUILD)/psramsim-san fuzzers
	$(Q)BUILD=$(BUILD) tests/run

check-unit: all $(UNIT_TESTS_SAN) $(UNIT_TESTS)
	$(Q)BUILD=$(BUILD) tests/run --unit

check-e2e: all $(BUILD)/psramsim-san fuzzers
	$(Q)BUILD=$(BUILD) tests/run --e2e

demo: deps-if-missing all
	$(BUILD)/psramctl --sim verify

bench: deps-if-missing all
	$(Q)BUILD=$(BUILD) scripts/bench

# The eid section alone: psramctl --sim eid beside a bare OpenOCD init.
bench-eid: deps-if-missing all
	$(Q)BUILD=$(BUILD) scripts/bench 20-eid

# The full-chip memory-mapped proof with the data cache on (about 6 min).
bench-mapped-full: deps-if-missing all
	$(Q)BUILD=$(BUILD) scripts/bench 56-mapped-full

# A full-chip SPI memtest past CYCCNT's 32-bit wrap (about 2 min of CPU).
bench-spi-full: deps-if-missing all
	$(Q)BUILD=$(BUILD) scripts/bench 57-memtest-spi-full

# ---- fuzzing ----------------------------------------------------------------

# libFuzzer harnesses (fuzz/README.md): the sources under test built with
# clang, coverage and ASan/UBSan; `make fuzz` runs each FUZZ_SECONDS.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CLI := image_elf image_ihex image_dfu image_detect grammars tcl_reply
FUZZ_SIM := fault_spec rbb bus_costs
FUZZERS := $(FUZZ_CLI:%=$(BUILD)/fuzz/%) $(FUZZ_SIM:%=$(BUILD)/fuzz/%)

$(BUILD)/obj-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC-FUZZ $<")
	$(Q)$(FUZZ_CC) $(HOST_CFLAGS) $(TREE_INC) $(FUZZ_FLAGS) -c $< -o $@

$(BUILD)/libcli-fuzz.a: $(CLI_SRC:%.c=$(BUILD)/obj-fuzz/%.o) $(CLI_GEN:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libsim-fuzz.a: $(SIM_SRC:%.c=$(BUILD)/obj-fuzz/%.o)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_CLI:%=$(BUILD)/fuzz/%): $(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(BUILD)/libcli-fuzz.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZER  $@")
	$(Q)$(FUZZ_CC) $(HOST_CFLAGS) -Icli -Ifuzz $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(BUILD)/libcli-fuzz.a -o $@ $(CLI_LIBS)

$(FUZZ_SIM:%=$(BUILD)/fuzz/%): $(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(BUILD)/libsim-fuzz.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZER  $@")
	$(Q)$(FUZZ_CC) $(HOST_CFLAGS) -Isim -Ifuzz $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(BUILD)/libsim-fuzz.a -o $@ $(UNICORN_LIBS)

fuzzers: $(FUZZERS)

fuzz: fuzzers
	$(Q)BUILD=$(BUILD) fuzz/run $(FUZZ_SECONDS)

# ---- install, dependencies ----------------------------------------------------

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/psramctl/boards
	install -m 755 $(BUILD)/psramsim $(DESTDIR)$(PREFIX)/bin/psramsim
	if [ -x $(BUILD)/psramctl ]; then install -m 755 $(BUILD)/psramctl $(DESTDIR)$(PREFIX)/bin/psramctl; fi
	install -m 644 cfg/*.cfg $(DESTDIR)$(PREFIX)/share/psramctl/
	install -m 644 cfg/boards/*.cfg $(DESTDIR)$(PREFIX)/share/psramctl/boards/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/man/psramctl.1 docs/man/psramsim.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completion/psramctl.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/psramctl
	install -m 644 completion/psramctl.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/psramsim

deps:
	scripts/install-deps

.PHONY: deps-if-missing
deps-if-missing:
	$(Q)scripts/install-deps --if-missing

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
