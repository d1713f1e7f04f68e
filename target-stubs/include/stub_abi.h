/*
 * The stub ABI: the one layout shared by psramctl (host) and the RAM-resident
 * stub (target). Fixed-width fields only, target addresses as uint32_t, no
 * pointers and no conditional compilation in the layout; every offset and
 * size is asserted below, so both compilers must agree or refuse to build.
 * Any change to the layout or to the meaning of a field bumps
 * STUB_ABI_VERSION.
 *
 * Memory (the stub is linked for DTCM, present on every supported MCU):
 *
 *   0x2000_0000  vector table (16 words), installed in VTOR by the stub
 *   0x2000_0040  struct stub_image_header (STUB_IMAGE_HEADER_ADDR)
 *   0x2000_0060  STUB_EXIT_ADDR: `bkpt #0` then a branch back to it
 *   0x2000_0064  STUB_ENTRY_ADDR, then the image check (runtime/load_check.c)
 *   0x2000_0200  STUB_BOOT_END: all the stub runs before its image check
 *                lies below
 *   ...          code and constants (stub.bin ends before the mailbox)
 *   0x2000_8000  struct stub_mailbox (STUB_MAILBOX_ADDR), not part of stub.bin
 *   0x2000_9000  stub variables and fault stack (.bss, up to 0x2000_D000)
 *   0x2000_D000  STUB_DATA_ADDR: STUB_DATA_MAX bytes of chip data that
 *                read and write pass through (the host reads or fills it)
 *   0x2000_F000  the stack, down from SP (at least 4 KiB)
 *
 * Entry contract (the host, through OpenOCD, with the core halted):
 *   1. Reset-halt the core (`reset init` for the board clocks), so that no
 *      exception is active and no watchdog runs.
 *   2. Check stub_image_header (magic, abi_version) in the image it holds,
 *      load stub.bin at STUB_LOAD_ADDR and read back the bytes below
 *      STUB_BOOT_END (the code that checks the rest; step 4).
 *   3. Write the mailbox from its start up to the parameters the command
 *      needs, in one piece: magic = stub_abi_version = 0 (they tell
 *      whether the stub ever ran), host_abi_version, command, seq,
 *      seq_done = ~seq, status = STUB_STATUS_IDLE, stop = 0 and the first
 *      params.bytes bytes of params. The stub reads every parameter
 *      beyond those as 0 (it zeroes them first thing) and zeroes what it
 *      owns itself (detail, progress, fault, result, the ring), so
 *      trailing zeros need not cross the debug link.
 *   4. Set registers: sp = end of the stub RAM (the board file's
 *      PSRAM_STUB_RAM end: at least STUB_RAM_MIN_END, at most
 *      STUB_RAM_MAX_END), pc = STUB_ENTRY_ADDR, r0 = STUB_MAILBOX_ADDR,
 *      r1 = the image's size in bytes, r2 = its CRC-32 (image_crc.h),
 *      xPSR = 0x01000000 (resume does not set the Thumb bit), then resume.
 *      Before anything else the stub computes the CRC-32 of the r1 bytes
 *      at STUB_LOAD_ADDR; if it is not r2 it runs none of them and ends
 *      with STUB_STATUS_IMAGE_CRC (a = the CRC it computed, b = r2), so a
 *      load the debug link corrupted is refused without reading the image
 *      back. r1 outside [STUB_BOOT_END - STUB_LOAD_ADDR, STUB_IMAGE_MAX]
 *      ends in STUB_STATUS_BAD_PARAMS (IMAGE_SIZE).
 *      A wrong r0 or an SP that leaves the stub less than 2 KiB of stack
 *      ends in STUB_STATUS_BAD_PARAMS (MAILBOX_ADDR, STACK).
 *   5. While the stub runs, read status/progress and stream ring records
 *      (read head, read the records in [tail, head), then write tail).
 *   6. The stub halts at STUB_EXIT_ADDR with BKPT for every outcome,
 *      including a fault (its handler returns to STUB_EXIT_ADDR in thread
 *      mode). The mailbox status word is the authoritative result: halted
 *      elsewhere, a host-side timeout and STUB_STATUS_FAULT are three
 *      different failures.
 *
 * The stub, at entry: masks interrupts while it installs its vector table,
 * switches to MSP/privileged (CONTROL = 0), disables every NVIC interrupt
 * and SysTick, enables MemManage/BusFault/UsageFault, turns the data cache
 * off and the MPU to its own regions, starts the DWT cycle counter, writes
 * magic and stub_abi_version, zeroes params beyond params.bytes, its own
 * fields and the ring (head and tail), then checks host_abi_version, r0,
 * SP and params.bytes before it runs the command. seq_done echoes seq
 * when it ends.
 *
 * magic, stub_abi_version and host_abi_version sit at offsets 0, 4 and 8
 * in every ABI version, so that each side can always see a mismatch.
 *
 * Ring (single producer, single consumer): head is written only by the stub,
 * tail only by the host, but for the stub zeroing both before it sets
 * status RUNNING (the host gives slots back only once it has seen a
 * status other than IDLE). Both are free-running counters; the slot of record
 * n is rec[n % STUB_RING_RECORDS]; head - tail records are ready. The stub
 * fills the slot, executes DMB, then advances head; it reads tail, executes
 * DMB, then overwrites a slot. When the ring is full it waits up to
 * STUB_RING_WAIT_MS for the host, then ends with STUB_STATUS_RING_TIMEOUT.
 */
#ifndef TARGET_STUBS_INCLUDE_STUB_ABI_H
#define TARGET_STUBS_INCLUDE_STUB_ABI_H

#include <stddef.h>
#include <stdint.h>

/* 2: 64-bit command cycles (result.cycles_hi), bits 32-39 of a TEST
 * record's cycles in its code, the core clock measured against the LSI
 * (STUB_STATUS_CLOCK_CHECK, result.cpu_hz_measured).
 * 3: params.map, the memory-mapped settings (memtest --mode mapped).
 * 4: STUB_CMD_READ and STUB_CMD_WRITE through the data buffer at
 * STUB_DATA_ADDR; the stack starts above that buffer.
 * 5: the image check at entry (r1 size, r2 CRC-32, STUB_STATUS_IMAGE_CRC,
 * STUB_BOOT_END); images with only some commands (stub-eid_*.bin).
 * 6: params.bytes and params right after the header, pins before the
 * commands' own parameters: the host writes the mailbox up to the last
 * parameter it sets, the stub zeroes the rest and the ring;
 * STUB_DETAIL_PARAMS_BYTES; STUB_DETAIL_LSI_NO_CAPTURE also for a missed
 * LSI edge. */
#define STUB_ABI_VERSION 6U

#define STUB_IMAGE_MAGIC 0x42545350U	/* "PSTB" in memory order */
#define STUB_MAILBOX_MAGIC 0x584d5350U	/* "PSMX" in memory order */

#define STUB_LOAD_ADDR 0x20000000U
#define STUB_IMAGE_HEADER_ADDR 0x20000040U
#define STUB_EXIT_ADDR 0x20000060U
#define STUB_ENTRY_ADDR 0x20000064U
/* Vectors, image header, exit, entry and the image check end below this
 * address (stub.ld asserts it): the host reads these bytes back after the
 * load, the check covers the rest. */
#define STUB_BOOT_END 0x20000200U
#define STUB_MAILBOX_ADDR 0x20008000U
#define STUB_MAILBOX_SPACE 0x1000U
#define STUB_IMAGE_MAX (STUB_MAILBOX_ADDR - STUB_LOAD_ADDR)
/* SP must lie in [STUB_RAM_MIN_END, STUB_RAM_MAX_END]; 64 KiB is the
 * smallest DTCM (F72x/F74x), 128 KiB the largest stub RAM any board gives. */
#define STUB_RAM_MIN_END 0x20010000U
#define STUB_RAM_MAX_END 0x20020000U

/* read / write: the chip's bytes pass through here, at most STUB_DATA_MAX
 * a run (stub.ld places the buffer; the host splits larger transfers). */
#define STUB_DATA_ADDR 0x2000D000U
#define STUB_DATA_MAX 0x2000U

#define STUB_RING_RECORDS 128U
#define STUB_RING_WAIT_MS 5000U

/* eid reads the ID no faster than this (koendv saw ID reads fail above
 * 84 MHz; a freshly soldered board deserves a slow, forgiving clock). */
#define STUB_EID_MAX_HZ 25000000U

/* Commands. An unknown number ends with STUB_STATUS_BAD_COMMAND. */
enum stub_command {
	STUB_CMD_PING = 1,	/* only the entry checks; proves the stub runs */
	STUB_CMD_EID = 2,	/* reset the chip, read both ID framings,
				 * then two LINES records (a 1-4-4 0xEB
				 * read with the pull-up, then pull-down) */
	STUB_CMD_MEMTEST = 3,	/* params.tests over the range at each of
				 * params.widths: PROGRESS, ERROR, TEST,
				 * BITS, ALIAS, LINES records */
	STUB_CMD_PINS = 4,	/* interconnect test with the six pins as
				 * GPIOs (no xSPI command): PIN records */
	STUB_CMD_BENCH = 5,	/* throughput per size and op: SAMPLE records */
	STUB_CMD_MARGIN = 6,	/* data and page-crossing test at the
				 * requested clock and sample shift:
				 * MARGIN records */
	STUB_CMD_READ = 7,	/* params.range_len bytes (1..STUB_DATA_MAX)
				 * at chip offset params.range_start into
				 * STUB_DATA_ADDR, in params.mode (SPI or
				 * QPI), bursts split for tCEM and pages */
	STUB_CMD_WRITE = 8,	/* the same, from STUB_DATA_ADDR into the
				 * chip */
};

enum stub_status {
	STUB_STATUS_IDLE = 0,		/* written by the host before a run */
	STUB_STATUS_RUNNING = 1,
	STUB_STATUS_OK = 2,
	STUB_STATUS_TEST_ERRORS = 3,	/* ran to the end, the memory failed */
	STUB_STATUS_BAD_COMMAND = 4,	/* a = the command number */
	STUB_STATUS_BAD_PARAMS = 5,	/* detail names the parameter */
	STUB_STATUS_ABI_MISMATCH = 6,	/* a = host_abi_version, b = stub's */
	STUB_STATUS_XSPI_TIMEOUT = 7,	/* detail names the wait, a = SR */
	STUB_STATUS_XSPI_ERROR = 8,	/* TEF: address refused by FSIZE */
	STUB_STATUS_RING_TIMEOUT = 9,	/* the host stopped draining */
	STUB_STATUS_STOPPED = 10,	/* the host set `stop` */
	STUB_STATUS_UNSUPPORTED = 11,	/* no driver for this xSPI/op */
	STUB_STATUS_FAULT = 12,		/* see mailbox.fault */
	STUB_STATUS_CLOCK_CHECK = 13,	/* the core clock is not what params
					 * say: detail STUB_DETAIL_CPU_VS_LSI
					 * etc. */
	STUB_STATUS_IMAGE_CRC = 14,	/* the image in RAM is not the one the
					 * host loaded: a = its CRC-32, b = the
					 * host's (entry r2); nothing ran */
};

/* mailbox.detail: what the status is about. detail_a/detail_b as listed. */
enum stub_detail {
	STUB_DETAIL_NONE = 0,
	/* bad-params: a = the offending value, b = an index (pins) */
	STUB_DETAIL_MAILBOX_ADDR = 0x101,	/* r0 != STUB_MAILBOX_ADDR */
	STUB_DETAIL_STACK = 0x102,		/* SP outside the stub RAM */
	STUB_DETAIL_RING = 0x103,		/* ring-timeout: a = head, b = tail */
	STUB_DETAIL_FAMILY = 0x104,
	STUB_DETAIL_XSPI = 0x105,
	STUB_DETAIL_XSPI_BASE = 0x106,
	STUB_DETAIL_XSPI_WINDOW = 0x107,
	STUB_DETAIL_KERNEL_HZ = 0x108,
	STUB_DETAIL_CPU_HZ = 0x109,
	STUB_DETAIL_CLOCK_HZ = 0x10a,	/* also: too slow for tCEM, 0x03 > 33 MHz */
	STUB_DETAIL_CHIP = 0x10b,
	STUB_DETAIL_CHIP_SIZE = 0x10c,
	STUB_DETAIL_PIN = 0x10d,		/* b = pin index */
	STUB_DETAIL_SAMPLE_SHIFT = 0x10e,
	STUB_DETAIL_MODE = 0x10f,
	STUB_DETAIL_RANGE = 0x110,
	STUB_DETAIL_IMAGE_SIZE = 0x111,	/* entry r1 out of range; a = r1 */
	/* params.bytes (a) below 4, above sizeof(struct stub_params) or
	 * not a multiple of 4 */
	STUB_DETAIL_PARAMS_BYTES = 0x112,
	/* bench: a = the value, b = its index in sizes[] */
	STUB_DETAIL_SIZES = 0x120,	/* 0, above STUB_BENCH_SIZE_MAX or the range */
	STUB_DETAIL_OPS = 0x121,	/* a = ops: none or unknown STUB_OP_* bits */
	/* memtest */
	STUB_DETAIL_TESTS = 0x130,	/* a = tests, b = widths: none or unknown bits */
	STUB_DETAIL_PATTERNS = 0x131,	/* a = pattern_count above STUB_PATTERNS_MAX */
	/* xspi-timeout / xspi-error: a = SR, b = CCR of the operation */
	STUB_DETAIL_WAIT_BUSY = 0x201,	/* BUSY stayed 1 before/after an op */
	STUB_DETAIL_WAIT_FIFO = 0x202,	/* FTF/FLEVEL never allowed the next DR access */
	STUB_DETAIL_WAIT_TCF = 0x203,	/* TCF never set */
	STUB_DETAIL_WAIT_ABORT = 0x204,	/* ABORT did not complete */
	STUB_DETAIL_TEF = 0x205,
	STUB_DETAIL_OP = 0x206,		/* unsupported: op refused by supports() */
	/* clock-check (runtime/clock_ref.c) */
	STUB_DETAIL_LSI_NOT_READY = 0x301,	/* LSIRDY never set; a = RCC_CSR */
	STUB_DETAIL_LSI_NO_CAPTURE = 0x302,	/* an LSI edge not captured in time,
					 * or missed (CC1OF); a = TIM16 SR */
	STUB_DETAIL_CPU_VS_LSI = 0x303,	/* a = core clock measured against the
					 * LSI (Hz), b = params.cpu_hz */
};

enum stub_family {
	STUB_FAMILY_STM32H7 = 1,	/* H742/743/750/753: QUADSPI */
	STUB_FAMILY_STM32H7A3 = 2,	/* H7A3/B3/B0: OCTOSPI */
	STUB_FAMILY_STM32F7 = 3,	/* F72x..F77x: QUADSPI */
};

enum stub_xspi {
	STUB_XSPI_QUADSPI = 1,
	STUB_XSPI_OCTOSPI = 2,
};

/* Timing limits by part (docs/psram-chips.md §4); UNKNOWN uses the strictest.
 * */
enum stub_chip {
	STUB_CHIP_UNKNOWN = 0,
	STUB_CHIP_ESP_PSRAM64H = 1,
	STUB_CHIP_LY68L6400 = 2,
	STUB_CHIP_APS6404L = 3,
	STUB_CHIP_IPS6404L = 4,
};

enum stub_mode {
	STUB_MODE_SPI = 1,
	STUB_MODE_QPI = 2,
	STUB_MODE_MAPPED = 3,
};

/* memtest --mode mapped: the MPU attributes of the window (ARMv7-M ARM
 * B3.5.8 TEX/C/B/S; docs/hardware-stm32h7a3.md §6.7). */
enum stub_mpu {
	STUB_MPU_OFF = 0,	/* no region: the default memory map */
	STUB_MPU_DEVICE = 1,	/* Device, shareable */
	STUB_MPU_NC = 2,	/* Normal, non-cacheable */
	STUB_MPU_WT = 3,	/* Normal, write-through, no write allocate */
	STUB_MPU_WB = 4,	/* Normal, write-back, read and write allocate */
};

/* stub_map.flags */
#define STUB_MAP_DQS (1U << 0)		/* DQS management on mapped writes */
#define STUB_MAP_TIMEOUT (1U << 1)	/* timeout counter, stub_map.timeout */
/* With mpu wt/wb: the stores' lines are not cleaned before the chip is
 * read back, as firmware that skips cache maintenance does. */
#define STUB_MAP_NO_CLEAN (1U << 2)

/* The controller's memory-mapped settings (memtest --mode mapped); a
 * QUADSPI uses mpu and the timeout only. */
struct stub_map {
	uint32_t mpu;		/* enum stub_mpu */
	uint32_t flags;		/* STUB_MAP_* */
	uint32_t timeout;	/* LPTR: CLK cycles before NCS is released */
	uint32_t csbound;	/* OCTOSPI DCR3.CSBOUND: 0 = none */
	uint32_t refresh;	/* OCTOSPI DCR4.REFRESH: 0 = none */
	uint32_t maxtran;	/* OCTOSPI DCR3.MAXTRAN */
	uint32_t mtyp;		/* OCTOSPI DCR1.MTYP */
	/* QUADSPI with the timeout counter: the longest run of sequential
	 * mapped reads the stub takes before it lets NCS rise, so that CE#
	 * stays low within tCEM; 0 = no limit (the OCTOSPI's REFRESH ends
	 * its bursts). Computed by the host (cli/stub/map_recommend.c). */
	uint32_t run_bytes;
};

enum stub_sample_shift {
	STUB_SSHIFT_AUTO = 0,	/* half-cycle shift above 50 MHz */
	STUB_SSHIFT_OFF = 1,
	STUB_SSHIFT_ON = 2,
};

/* GPIO PUPDR and OSPEEDR encodings (docs/hardware-stm32h7.md §5). */
enum stub_pull {
	STUB_PULL_NONE = 0,
	STUB_PULL_UP = 1,
	STUB_PULL_DOWN = 2,
};

enum stub_speed {
	STUB_SPEED_LOW = 0,
	STUB_SPEED_MEDIUM = 1,
	STUB_SPEED_HIGH = 2,
	STUB_SPEED_VERY_HIGH = 3,
};

/* params.pins[] order. */
enum stub_pin_index {
	STUB_PIN_CLK = 0,
	STUB_PIN_NCS = 1,
	STUB_PIN_IO0 = 2,
	STUB_PIN_IO1 = 3,
	STUB_PIN_IO2 = 4,
	STUB_PIN_IO3 = 5,
	STUB_PIN_COUNT = 6,
};

#define STUB_WIDTH_8 (1U << 0)
#define STUB_WIDTH_16 (1U << 1)
#define STUB_WIDTH_32 (1U << 2)
/* --mode mapped only: 32-bit units moved by 64-bit loads and stores
 * (LDRD/STRD); records name the pass with width 8. */
#define STUB_WIDTH_64 (1U << 3)

#define STUB_TEST_DATA_BUS (1U << 0)
#define STUB_TEST_ADDRESS_BUS (1U << 1)
#define STUB_TEST_DEVICE (1U << 2)
#define STUB_TEST_PATTERNS (1U << 3)
#define STUB_TEST_PAGE (1U << 4)	/* bursts across 1 KiB pages */
#define STUB_TEST_RETENTION (1U << 5)	/* write, wait hold_ms, read */
/* Which IO lines ever carry the chip's drive: QPI reads with the MCU's
 * pull-up, then pull-down, on IO0..IO3 (LINES records). */
#define STUB_TEST_LINES (1U << 6)
/* --mode mapped only: 64-bit, unaligned and sub-word CPU accesses and a
 * store right after a load, through the window. */
#define STUB_TEST_ACCESS (1U << 7)

/* STUB_REC_ERROR code: the test bit number in the low byte, and flags. */
#define STUB_ERR_TEST_MASK 0x00FFU
#define STUB_ERR_TRANSIENT (1U << 8)	/* a second read did not return the same
					 * wrong value (data-bus: returned the
					 * written one) */
#define STUB_ERR_ECHO (1U << 9)		/* data-bus: read the complement written
					 * elsewhere (the two addresses alias) */

#define STUB_OP_READ (1U << 0)
#define STUB_OP_WRITE (1U << 1)

#define STUB_PATTERNS_MAX 8U
#define STUB_SIZES_MAX 16U

/* result.eid_flags */
#define STUB_EID_ID_ALL_ONES (1U << 0)		/* eid[] all 0xFF */
#define STUB_EID_ID_ALL_ZEROS (1U << 1)		/* eid[] all 0x00 */
#define STUB_EID_JEDEC_ALL_ONES (1U << 2)	/* jedec[0..2] all 0xFF */
#define STUB_EID_JEDEC_ALL_ZEROS (1U << 3)	/* jedec[0..2] all 0x00 */

enum stub_record_type {
	STUB_REC_PROGRESS = 1,	/* code = test bit number; a = done, b = total, c = pass */
	STUB_REC_ERROR = 2,	/* width = bytes; code = test bit number
				 * | STUB_ERR_* flags;
				 * a = offset in the chip, b = written, c = read */
	STUB_REC_SAMPLE = 3,	/* code = STUB_OP_*; a = size, b = cycles, c = bytes */
	STUB_REC_LOG = 4,	/* code = enum stub_log; a, b, c as listed */
	STUB_REC_MARGIN = 5,	/* code = enum stub_margin_test; a = bytes
				 * checked (0: not run at this clock),
				 * b = bytes wrong, c = chip offset of the
				 * first wrong byte */
	STUB_REC_TEST = 6,	/* memtest: one test, width and pass ended;
				 * width = bytes; code = test bit number;
				 * a = bytes checked (address-bus: mask of the
				 * address bits covered), b = units in error,
				 * c = DWT cycles it took, bits 0-31; bits
				 * 32-39 are code bits 8-15 (code bits 0-7
				 * are the test) */
	STUB_REC_BITS = 7,	/* data-bus, per bit of the unit: width =
				 * bytes; code = bit (0..8*width-1);
				 * a = reads with it written 0 | written 1
				 * << 16 (each saturating at 0xFFFF);
				 * b = read 1 where written 0; c = read 0
				 * where written 1 */
	STUB_REC_ALIAS = 8,	/* address-bus: a write to offset a changed
				 * offset b; c = the base offset */
	STUB_REC_LINES = 9,	/* lines: code = enum stub_pull in force;
				 * a = bits sampled per line; b = bits against
				 * the pull on IO0 | IO1 << 16, c = IO2 | IO3
				 * << 16 (each saturating at 0xFFFF) */
	STUB_REC_PIN = 10,	/* pins: code = driven pin (enum
				 * stub_pin_index, STUB_PIN_NONE: none) |
				 * driven level << 8; a = enum stub_pull of
				 * the other pins; b = levels read, bit n =
				 * pin index n */
};

#define STUB_PIN_NONE 0xFFU

/* bench: one SAMPLE per size and op and pass, with at least
 * STUB_BENCH_SAMPLE_US of transfers in b (cycles); sizes up to
 * STUB_BENCH_SIZE_MAX bytes. */
#define STUB_BENCH_SIZE_MAX 65536U
#define STUB_BENCH_SAMPLE_US 2000U

enum stub_margin_test {
	STUB_MARGIN_DATA = 1,		/* bursts within a 1 KiB page */
	STUB_MARGIN_PAGE_CROSS = 2,	/* bursts across a page boundary; run
					 * only where the datasheets allow it
					 * (<= 84 MHz) */
};

enum stub_log {
	STUB_LOG_TEF_AFTER_AR = 1,	/* TEF right after AR, AR rewritten; a = SR, b = AR */
	STUB_LOG_ABORT_STUCK = 2,	/* ABORT left BUSY set, EN cycled (ES0396 2.6.2); a = SR, b = CR */
};

/* At STUB_IMAGE_HEADER_ADDR, inside stub.bin: the host can check the image
 * before loading it and read it back after. */
struct stub_image_header {
	uint32_t magic;			/* STUB_IMAGE_MAGIC */
	uint32_t abi_version;		/* STUB_ABI_VERSION */
	uint32_t load_addr;		/* STUB_LOAD_ADDR */
	uint32_t entry_addr;		/* STUB_ENTRY_ADDR */
	uint32_t exit_addr;		/* STUB_EXIT_ADDR */
	uint32_t mailbox_addr;		/* STUB_MAILBOX_ADDR */
	uint32_t mailbox_size;		/* sizeof(struct stub_mailbox) */
	uint32_t ram_min_end;		/* STUB_RAM_MIN_END */
};

/* Written by the stub's fault handler (ARMv7-M ARM B1.5.6 frame, B3.2.15-18
 * fault status registers). */
struct stub_fault {
	uint32_t exception;	/* IPSR: 2 NMI, 3 HardFault, 4 MemManage,
				 * 5 BusFault, 6 UsageFault, else unexpected */
	uint32_t cfsr;
	uint32_t hfsr;
	uint32_t mmfar;		/* valid when CFSR.MMARVALID */
	uint32_t bfar;		/* valid when CFSR.BFARVALID */
	uint32_t pc;		/* stacked PC (0 if the frame was unreadable) */
	uint32_t lr;		/* stacked LR */
	uint32_t xpsr;		/* stacked xPSR */
	uint32_t sp;		/* address of the exception frame */
	uint32_t exc_return;	/* LR on handler entry */
};

struct stub_pin {
	uint8_t port;		/* 0 = GPIOA ... 10 = GPIOK */
	uint8_t pin;		/* 0..15 */
	uint8_t af;		/* alternate function number 0..15 */
	uint8_t pull;		/* enum stub_pull while the xSPI drives the pin */
	uint8_t speed;		/* enum stub_speed */
	uint8_t reserved[3];	/* write 0 */
};

/* Everything the stub knows about the board comes from here: a new board
 * is a new cfg file, not a new stub. The board's fields first, then each
 * command's own: eid needs the mailbox written only up to pins[]. */
struct stub_params {
	/* host: the bytes of params it wrote, this word included (a
	 * multiple of 4); the stub reads the rest as 0 */
	uint32_t bytes;
	uint32_t family;		/* enum stub_family */
	uint32_t xspi;			/* enum stub_xspi */
	uint32_t xspi_base;		/* register base (PSRAM_XSPI_BASE) */
	uint32_t xspi_window;		/* memory-mapped window, 256 MiB aligned */
	uint32_t kernel_hz;		/* xSPI kernel clock (PSRAM_KERNEL_HZ) */
	uint32_t cpu_hz;		/* core clock: DWT cycles per second */
	uint32_t clock_hz;		/* requested xSPI clock; the stub never exceeds it */
	uint32_t sample_shift;		/* enum stub_sample_shift */
	uint32_t chip;			/* enum stub_chip */
	uint32_t chip_size;		/* bytes, power of two; 0 = 8 MiB */
	struct stub_pin pins[STUB_PIN_COUNT];	/* enum stub_pin_index order */
	uint32_t mode;			/* enum stub_mode */
	uint32_t range_start;		/* test range, offset in the chip */
	uint32_t range_len;
	uint32_t widths;		/* STUB_WIDTH_* */
	uint32_t patterns[STUB_PATTERNS_MAX];
	uint32_t pattern_count;
	uint32_t passes;
	uint32_t seed;
	uint32_t max_errors;		/* error records to send; counting goes on */
	uint32_t tests;			/* STUB_TEST_* */
	uint32_t hold_ms;
	uint32_t sizes[STUB_SIZES_MAX];	/* bench transfer sizes in bytes */
	uint32_t size_count;
	uint32_t ops;			/* STUB_OP_* */
	struct stub_map map;		/* memtest --mode mapped */
};

/* How the stub set the bus up (every command that uses it). */
struct stub_xspi_setup {
	uint32_t clock_hz;		/* achieved: kernel_hz / (prescaler + 1) */
	uint32_t prescaler;		/* CR.PRESCALER */
	uint32_t cs_high_cycles;	/* DCR.CSHT + 1 */
	uint32_t sample_shift;		/* CR.SSHIFT */
};

struct stub_result {
	struct stub_xspi_setup xspi;
	/* eid: 0x9F + 24-bit address, 8 bytes, 1-1-1 (PSRAM framing) */
	uint8_t eid[8];
	/* eid: 0x9F, no address, 3 bytes, 1-1-1 (flash framing); [3] = 0 */
	uint8_t jedec[4];
	/* eid: IO0..IO3 levels (bit n = IOn) read as GPIO inputs with the
	 * MCU pull-up / pull-down while nCS is high, before the first and
	 * after the last bus command. */
	uint8_t lines_before_up;
	uint8_t lines_before_down;
	uint8_t lines_after_up;
	uint8_t lines_after_down;
	uint32_t eid_flags;		/* STUB_EID_* */
	uint32_t errors;		/* errors found (all, not only those sent) */
	uint32_t cycles;		/* DWT cycles the command took, bits 0-31 */
	uint32_t cycles_hi;		/* bits 32-63 (CYCCNT wraps after
					 * 10.7 s at 400 MHz) */
	uint32_t cpu_hz_measured;	/* core clock against the LSI; 0 when
					 * the family has no such check */
};

struct stub_record {
	uint8_t type;		/* enum stub_record_type */
	uint8_t width;		/* error: access width in bytes; else 0 */
	uint16_t code;
	uint32_t a;
	uint32_t b;
	uint32_t c;
};

struct stub_ring {
	uint32_t head;		/* written by the stub only */
	uint32_t tail;		/* written by the host only */
	struct stub_record rec[STUB_RING_RECORDS];
};

struct stub_mailbox {
	uint32_t magic;			/* stub: STUB_MAILBOX_MAGIC */
	uint32_t stub_abi_version;	/* stub: STUB_ABI_VERSION */
	uint32_t host_abi_version;	/* host */
	uint32_t command;		/* host: enum stub_command */
	uint32_t seq;			/* host: any token */
	uint32_t seq_done;		/* stub: seq, once the status is final */
	uint32_t status;		/* stub (host: IDLE before the run) */
	uint32_t detail;		/* stub: enum stub_detail */
	uint32_t detail_a;
	uint32_t detail_b;
	uint32_t stop;			/* host: non-zero asks the stub to stop */
	uint32_t progress_done;		/* stub: bytes */
	uint32_t progress_total;
	struct stub_params params;	/* host */
	struct stub_fault fault;	/* stub */
	struct stub_result result;	/* stub */
	struct stub_ring ring;
};

#define STUB_ABI_OFFSET(type, field, off)                                      \
	_Static_assert(offsetof(struct type, field) == (off),                 \
		       "stub ABI: " #type "." #field " moved")
#define STUB_ABI_SIZE(type, size)                                              \
	_Static_assert(sizeof(struct type) == (size),                         \
		       "stub ABI: size of " #type " changed")

STUB_ABI_OFFSET(stub_image_header, magic, 0x00);
STUB_ABI_OFFSET(stub_image_header, abi_version, 0x04);
STUB_ABI_OFFSET(stub_image_header, load_addr, 0x08);
STUB_ABI_OFFSET(stub_image_header, entry_addr, 0x0c);
STUB_ABI_OFFSET(stub_image_header, exit_addr, 0x10);
STUB_ABI_OFFSET(stub_image_header, mailbox_addr, 0x14);
STUB_ABI_OFFSET(stub_image_header, mailbox_size, 0x18);
STUB_ABI_OFFSET(stub_image_header, ram_min_end, 0x1c);
STUB_ABI_SIZE(stub_image_header, 0x20);
_Static_assert(STUB_IMAGE_HEADER_ADDR + sizeof(struct stub_image_header) ==
		       STUB_EXIT_ADDR,
	       "stub ABI: the exit BKPT follows the image header");

STUB_ABI_OFFSET(stub_fault, exception, 0x00);
STUB_ABI_OFFSET(stub_fault, cfsr, 0x04);
STUB_ABI_OFFSET(stub_fault, hfsr, 0x08);
STUB_ABI_OFFSET(stub_fault, mmfar, 0x0c);
STUB_ABI_OFFSET(stub_fault, bfar, 0x10);
STUB_ABI_OFFSET(stub_fault, pc, 0x14);
STUB_ABI_OFFSET(stub_fault, lr, 0x18);
STUB_ABI_OFFSET(stub_fault, xpsr, 0x1c);
STUB_ABI_OFFSET(stub_fault, sp, 0x20);
STUB_ABI_OFFSET(stub_fault, exc_return, 0x24);
STUB_ABI_SIZE(stub_fault, 0x28);

STUB_ABI_OFFSET(stub_pin, port, 0);
STUB_ABI_OFFSET(stub_pin, pin, 1);
STUB_ABI_OFFSET(stub_pin, af, 2);
STUB_ABI_OFFSET(stub_pin, pull, 3);
STUB_ABI_OFFSET(stub_pin, speed, 4);
STUB_ABI_OFFSET(stub_pin, reserved, 5);
STUB_ABI_SIZE(stub_pin, 8);

STUB_ABI_OFFSET(stub_params, bytes, 0x00);
STUB_ABI_OFFSET(stub_params, family, 0x04);
STUB_ABI_OFFSET(stub_params, xspi, 0x08);
STUB_ABI_OFFSET(stub_params, xspi_base, 0x0c);
STUB_ABI_OFFSET(stub_params, xspi_window, 0x10);
STUB_ABI_OFFSET(stub_params, kernel_hz, 0x14);
STUB_ABI_OFFSET(stub_params, cpu_hz, 0x18);
STUB_ABI_OFFSET(stub_params, clock_hz, 0x1c);
STUB_ABI_OFFSET(stub_params, sample_shift, 0x20);
STUB_ABI_OFFSET(stub_params, chip, 0x24);
STUB_ABI_OFFSET(stub_params, chip_size, 0x28);
STUB_ABI_OFFSET(stub_params, pins, 0x2c);
STUB_ABI_OFFSET(stub_params, mode, 0x5c);
STUB_ABI_OFFSET(stub_params, range_start, 0x60);
STUB_ABI_OFFSET(stub_params, range_len, 0x64);
STUB_ABI_OFFSET(stub_params, widths, 0x68);
STUB_ABI_OFFSET(stub_params, patterns, 0x6c);
STUB_ABI_OFFSET(stub_params, pattern_count, 0x8c);
STUB_ABI_OFFSET(stub_params, passes, 0x90);
STUB_ABI_OFFSET(stub_params, seed, 0x94);
STUB_ABI_OFFSET(stub_params, max_errors, 0x98);
STUB_ABI_OFFSET(stub_params, tests, 0x9c);
STUB_ABI_OFFSET(stub_params, hold_ms, 0xa0);
STUB_ABI_OFFSET(stub_params, sizes, 0xa4);
STUB_ABI_OFFSET(stub_params, size_count, 0xe4);
STUB_ABI_OFFSET(stub_params, ops, 0xe8);
STUB_ABI_OFFSET(stub_params, map, 0xec);
STUB_ABI_SIZE(stub_params, 0x10c);

STUB_ABI_OFFSET(stub_map, mpu, 0x00);
STUB_ABI_OFFSET(stub_map, flags, 0x04);
STUB_ABI_OFFSET(stub_map, timeout, 0x08);
STUB_ABI_OFFSET(stub_map, csbound, 0x0c);
STUB_ABI_OFFSET(stub_map, refresh, 0x10);
STUB_ABI_OFFSET(stub_map, maxtran, 0x14);
STUB_ABI_OFFSET(stub_map, mtyp, 0x18);
STUB_ABI_OFFSET(stub_map, run_bytes, 0x1c);
STUB_ABI_SIZE(stub_map, 0x20);

STUB_ABI_OFFSET(stub_xspi_setup, clock_hz, 0x0);
STUB_ABI_OFFSET(stub_xspi_setup, prescaler, 0x4);
STUB_ABI_OFFSET(stub_xspi_setup, cs_high_cycles, 0x8);
STUB_ABI_OFFSET(stub_xspi_setup, sample_shift, 0xc);
STUB_ABI_SIZE(stub_xspi_setup, 0x10);

STUB_ABI_OFFSET(stub_result, xspi, 0x00);
STUB_ABI_OFFSET(stub_result, eid, 0x10);
STUB_ABI_OFFSET(stub_result, jedec, 0x18);
STUB_ABI_OFFSET(stub_result, lines_before_up, 0x1c);
STUB_ABI_OFFSET(stub_result, lines_before_down, 0x1d);
STUB_ABI_OFFSET(stub_result, lines_after_up, 0x1e);
STUB_ABI_OFFSET(stub_result, lines_after_down, 0x1f);
STUB_ABI_OFFSET(stub_result, eid_flags, 0x20);
STUB_ABI_OFFSET(stub_result, errors, 0x24);
STUB_ABI_OFFSET(stub_result, cycles, 0x28);
STUB_ABI_OFFSET(stub_result, cycles_hi, 0x2c);
STUB_ABI_OFFSET(stub_result, cpu_hz_measured, 0x30);
STUB_ABI_SIZE(stub_result, 0x34);

STUB_ABI_OFFSET(stub_record, type, 0x0);
STUB_ABI_OFFSET(stub_record, width, 0x1);
STUB_ABI_OFFSET(stub_record, code, 0x2);
STUB_ABI_OFFSET(stub_record, a, 0x4);
STUB_ABI_OFFSET(stub_record, b, 0x8);
STUB_ABI_OFFSET(stub_record, c, 0xc);
STUB_ABI_SIZE(stub_record, 0x10);

STUB_ABI_OFFSET(stub_ring, head, 0x0);
STUB_ABI_OFFSET(stub_ring, tail, 0x4);
STUB_ABI_OFFSET(stub_ring, rec, 0x8);
STUB_ABI_SIZE(stub_ring, 0x8 + 0x10 * STUB_RING_RECORDS);
_Static_assert((STUB_RING_RECORDS & (STUB_RING_RECORDS - 1U)) == 0U,
	       "stub ABI: the ring size divides 2^32 (free-running indices)");

STUB_ABI_OFFSET(stub_mailbox, magic, 0x000);
STUB_ABI_OFFSET(stub_mailbox, stub_abi_version, 0x004);
STUB_ABI_OFFSET(stub_mailbox, host_abi_version, 0x008);
STUB_ABI_OFFSET(stub_mailbox, command, 0x00c);
STUB_ABI_OFFSET(stub_mailbox, seq, 0x010);
STUB_ABI_OFFSET(stub_mailbox, seq_done, 0x014);
STUB_ABI_OFFSET(stub_mailbox, status, 0x018);
STUB_ABI_OFFSET(stub_mailbox, detail, 0x01c);
STUB_ABI_OFFSET(stub_mailbox, detail_a, 0x020);
STUB_ABI_OFFSET(stub_mailbox, detail_b, 0x024);
STUB_ABI_OFFSET(stub_mailbox, stop, 0x028);
STUB_ABI_OFFSET(stub_mailbox, progress_done, 0x02c);
STUB_ABI_OFFSET(stub_mailbox, progress_total, 0x030);
STUB_ABI_OFFSET(stub_mailbox, params, 0x034);
STUB_ABI_OFFSET(stub_mailbox, fault, 0x140);
STUB_ABI_OFFSET(stub_mailbox, result, 0x168);
STUB_ABI_OFFSET(stub_mailbox, ring, 0x19c);
STUB_ABI_SIZE(stub_mailbox, 0x19c + 0x8 + 0x10 * STUB_RING_RECORDS);
_Static_assert(sizeof(struct stub_mailbox) <= STUB_MAILBOX_SPACE,
	       "stub ABI: the mailbox fits the space the linker script gives it");

#endif
