/* The engine the two ST xSPI controller models share: QUADSPI (RM0433 §23,
 * RM0399 §24, quadspi.c) and OCTOSPI (RM0455 "Octo-SPI interface",
 * octospi.c) run commands the same way and differ in where their registers
 * keep the fields. The engine owns what is common: the 32-byte FIFO, the
 * command on the wire and its time, indirect mode, automatic status
 * polling, SR, the DR and AR rules and the register-access frame. Each
 * controller keeps its register map, reset values and its own rules, and
 * tells the engine the rest through a struct xspi_desc.
 *
 * Time: a command started by a register write runs in virtual time; BUSY,
 * TCF, FLEVEL and the bytes moved are worked out from vclock_now() at each
 * access. A DR access that must wait for the FIFO stalls the core (the
 * virtual clock jumps); a full FIFO on a read or an empty one on a write
 * stops CLK with NCS still low (RM0399 §24.3.16). */
#ifndef SIM_XSPI_ENGINE_H
#define SIM_XSPI_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "util/vclock.h"
#include "wire/xspi_wire.h"

/* CR fields at the same bits in QUADSPI_CR (RM0433 §23.5.1) and
 * OCTOSPI_CR (RM0455). */
#define XSPI_CR_EN (1U << 0)
#define XSPI_CR_ABORT (1U << 1)
#define XSPI_CR_DMAEN (1U << 2)
#define XSPI_CR_TCEN (1U << 3)
#define XSPI_CR_FSEL (1U << 7)
#define XSPI_CR_FTHRES_SHIFT 8U
#define XSPI_CR_APMS (1U << 22)
#define XSPI_CR_PMM (1U << 23)

/* SR: the same layout in QUADSPI_SR (RM0433 §23.5.3) and OCTOSPI_SR. */
#define XSPI_SR_TEF (1U << 0)
#define XSPI_SR_TCF (1U << 1)
#define XSPI_SR_FTF (1U << 2)
#define XSPI_SR_SMF (1U << 3)
#define XSPI_SR_TOF (1U << 4)
#define XSPI_SR_BUSY (1U << 5)
#define XSPI_SR_FLEVEL_SHIFT 8U

#define XSPI_FIFO_SIZE 32U

/* After a full FIFO stops a read, reading restarts once 4 bytes are free
 * (RM0399 §24.3.5; its "FLEVEL <= 11" is the 16-byte FIFO's figure). */
#define XSPI_FIFO_RESTART_FREE 4U

enum xspi_fmode {
	XSPI_FMODE_WRITE,	/* indirect write */
	XSPI_FMODE_READ,	/* indirect read */
	XSPI_FMODE_POLL,	/* automatic status polling */
	XSPI_FMODE_MMAP,	/* memory-mapped */
};

enum xspi_op {
	XSPI_OP_IDLE,
	XSPI_OP_WRITE,		/* indirect write */
	XSPI_OP_READ,		/* indirect read */
	XSPI_OP_POLL,		/* automatic status polling */
	XSPI_OP_MM_READ,	/* memory-mapped read: prefetch burst */
	XSPI_OP_MM_WRITE,	/* memory-mapped write burst (OCTOSPI) */
	XSPI_OP_FRCM,		/* free-running clock (QUADSPI CCR.FRCM) */
	XSPI_OP_HUNG,		/* BUSY stuck (no kernel clock, errata) */
};

/* Which command registers a command uses: the regular ones, or the
 * OCTOSPI's memory-mapped write set (WCCR/WTCR/WIR/WABR). */
enum xspi_cmd_set { XSPI_SET_REGULAR, XSPI_SET_MM_WRITE };

/* One command as a controller's registers describe it. Modes are in
 * lines (0 = phase absent), sizes in bytes. */
struct xspi_cmd {
	unsigned imode, isize;
	uint32_t instr;
	unsigned admode, adsize;
	bool has_addr;		/* ADMODE != 0, a reserved encoding too */
	unsigned abmode, absize;
	uint32_t alt;
	unsigned dcyc;		/* dummy cycles */
	unsigned dmode;
	bool sioo;		/* send the instruction only once */
	unsigned div;		/* kernel clock / CLK: PRESCALER + 1 */
	unsigned csht;		/* CSHT field: NCS high >= CSHT + 1 CLK */
	bool sshift;		/* sample half a CLK later */
};

struct xspi_engine;

/* What a controller tells the engine: its register layout as hooks, and
 * the words of the messages where the manuals differ. */
struct xspi_desc {
	/* Offsets of DR, SR and FCR in the register block. */
	uint32_t dr, sr, fcr;
	/* Name of the memory-size field ("FSIZE", "DEVSIZE"). */
	const char *size_name;
	/* Where the kernel clock comes from, for the no-clock message. */
	const char *kernel_clock_src;
	/* Inserted into messages: after "ignored (" of a BUSY refusal, in
	 * the parentheses of a reserved-bits warning, after "no command
	 * starts", after the DR rules, after a status-polling DLR, after
	 * "reserved offset 0x...", and into/after the DR-write refusal. */
	const char *busy_cite, *reserved_note, *enable_cite, *dr_cite;
	const char *poll_dlr_note, *reserved_cite;
	const char *dr_write_fields, *dr_write_cite;
	/* DR read from an empty FIFO of a hung controller: "... and %s". */
	const char *hung_empty;
	/* Trace line of a command: "-" for an absent instruction or address
	 * (QUADSPI) rather than their value. */
	bool trace_marks_absent;

	enum xspi_fmode (*fmode)(const struct xspi_engine *e);
	void (*decode)(const struct xspi_engine *e, enum xspi_cmd_set set,
		       struct xspi_cmd *c);
	/* FSIZE/DEVSIZE field: the memory holds 2^(field + 1) bytes. */
	unsigned (*size_code)(const struct xspi_engine *e);
	/* Whether the command just planned reaches the chip (warnings on
	 * what the board does not wire). */
	bool (*reaches_chip)(struct xspi_engine *e);
	/* The controller's checks of a command's phases. */
	void (*check_frame)(struct xspi_engine *e, enum xspi_cmd_set set,
			    bool reading);
	/* Before an indirect command starts; false: it does not (may be
	 * NULL). */
	bool (*may_start)(struct xspi_engine *e, enum xspi_fmode fm);
	/* Brings a memory-mapped operation up to `now`. */
	void (*mm_advance)(struct xspi_engine *e, uint64_t now);
	/* Register value at `reg` (word offset, not DR); false: reserved. */
	bool (*reg_value)(struct xspi_engine *e, uint32_t reg, uint32_t *v);
	void (*write_reg)(struct xspi_engine *e, uint32_t reg, uint32_t value,
			  uint64_t now);
	/* Whether a DR access of `size` at `offset` is one the manual allows
	 * (logs it when not). */
	bool (*dr_access_ok)(struct xspi_engine *e, uint32_t offset,
			     unsigned size, bool write);
	/* When the operation under way will next change SR on its own, or
	 * VCLOCK_NEVER (what the interrupt line waits for). */
	uint64_t (*next_flag_change)(const struct xspi_engine *e,
				     uint64_t now);
};

typedef uint32_t (*xspi_kernel_hz_fn)(void *ctx);

struct xspi_engine {
	const struct xspi_desc *desc;
	char name[24];		/* message prefix: "QUADSPI@0x52005000" */
	char trace_name[16];	/* trace prefix: "QUADSPI", "OCTOSPI1" */
	struct vclock *clk;
	xspi_kernel_hz_fn kernel_hz;
	void *kernel_ctx;
	struct xspi_wire *wire;
	struct irq_line irq;	/* the global interrupt (xspi_set_irq) */
	struct vclock_event irq_ev; /* next flag change while an IE is set */

	/* Registers both controllers have. */
	uint32_t cr, dlr, ar, psmkr, psmar, pir, lptr;
	uint32_t flags;		/* latched TEF, TCF, SMF, TOF */
	uint32_t poll_dr;	/* last status read by polling */
	bool poll_ftf;
	bool instr_sent;	/* SIOO: instruction gone since the CCR write */

	/* FIFO (indirect modes, memory-mapped bursts). */
	uint8_t fifo[XSPI_FIFO_SIZE];
	unsigned head, level;
	bool fifo_read;		/* holds read data (else write data) */

	/* The operation in progress. */
	enum xspi_op op;
	enum xspi_cmd_set set;	/* registers the running command uses */
	bool on_wire;		/* NCS low on this command */
	bool reaches_chip;	/* the wire sees it */
	struct xspi_frame frame;
	struct xspi_clocking clocking;
	uint32_t ker_hz, div;
	uint64_t anchor;	/* CPU cycle where k counts from */
	uint64_t k;		/* CLK rising edges since anchor: edge j at
				 * anchor + j periods */
	uint64_t total, done;	/* data bytes of this command */
	bool stalled;		/* FIFO full (read) or empty (write) */
	uint64_t stalled_at;
	uint32_t bus_wait;	/* core cycles added to each register access */
	uint64_t cs_fall, cs_rise;
	bool cs_rise_valid;
	uint64_t max_cs_low_ns;
	uint32_t mm_head;	/* memory-mapped read: offset of fifo[head] */
	uint64_t poll_at;	/* when the next poll may drop NCS */
	uint64_t poll_end;	/* when the poll under way ends (once
				 * poll_at has passed) */
};

void xspi_init(struct xspi_engine *e, const struct xspi_desc *desc,
	       struct vclock *clk, xspi_kernel_hz_fn kernel_hz,
	       void *kernel_ctx, struct xspi_wire *wire);
/* Ends a command on the wire, registers both controllers share to 0. */
void xspi_reset(struct xspi_engine *e);
/* Ends a command on the wire and stops the interrupt's event, before the
 * controller is freed. */
void xspi_release(struct xspi_engine *e);
/* The global interrupt: its line, then kept equal to (SR & enables). */
void xspi_set_irq(struct xspi_engine *e, struct irq_line line);
/* Brings the line up to date and schedules the next flag change while an
 * enable is set; after every access and reset (register accesses do it
 * themselves). */
void xspi_irq_update(struct xspi_engine *e);

uint32_t xspi_bits(uint32_t v, unsigned shift, unsigned width);
uint64_t xspi_mem_bytes(const struct xspi_engine *e);
unsigned xspi_data_lines(const struct xspi_engine *e, enum xspi_cmd_set set);
/* CPU cycle of the `k`th CLK rising edge counted from `anchor`. */
uint64_t xspi_clk_to_cpu(const struct xspi_engine *e, uint64_t anchor,
			 uint64_t k);

void xspi_fifo_flush(struct xspi_engine *e);
void xspi_fifo_push(struct xspi_engine *e, uint8_t v);
uint8_t xspi_fifo_pop(struct xspi_engine *e);

/* Plans and starts a command: NCS falls and the header goes out. False
 * when the block has no kernel clock. */
bool xspi_command_begin(struct xspi_engine *e, enum xspi_cmd_set set,
			uint64_t t_req, uint32_t addr, enum xspi_dir dir,
			uint64_t len);
/* NCS rises at `t` (no sooner than the CLK cycle under way ends). */
void xspi_command_end(struct xspi_engine *e, uint64_t t);
/* Completion time of the next data byte; when NCS can rise. */
uint64_t xspi_next_byte_at(const struct xspi_engine *e);
uint64_t xspi_end_at(const struct xspi_engine *e);
uint8_t xspi_byte_in(struct xspi_engine *e);
void xspi_byte_out(struct xspi_engine *e, uint8_t v);
/* CLK starts again after a FIFO stall. */
void xspi_resume(struct xspi_engine *e, uint64_t t);

/* Brings the operation up to `now`. */
void xspi_advance(struct xspi_engine *e, uint64_t now);
/* When the operation will next change on its own, or UINT64_MAX. */
uint64_t xspi_next_event(const struct xspi_engine *e);
/* Stalls the core until the FIFO holds `need` bytes (read) or has room
 * for them (write), or nothing more can happen. */
void xspi_stall_for_fifo(struct xspi_engine *e, unsigned need, bool reading);

bool xspi_busy(const struct xspi_engine *e);
/* Ends what runs: NCS up, FIFO flushed, back to idle. */
void xspi_stop(struct xspi_engine *e, uint64_t now);
/* Whether CR.EN is set; logs `what` when not. */
bool xspi_enabled(struct xspi_engine *e, const char *what);
/* A register write that starts a command (CCR, IR, AR): the regular
 * command's data phase and FMODE decide whether it does. */
void xspi_trigger(struct xspi_engine *e, const char *what);

uint32_t xspi_sr_value(const struct xspi_engine *e);
void xspi_refused(struct xspi_engine *e, const char *reg, uint32_t value);
/* `value` with the bits outside `mask` cleared (logged when set). */
uint32_t xspi_reserved_check(struct xspi_engine *e, const char *reg,
			     uint32_t value, uint32_t mask);
/* AR write; `keep` = the address bits the controller keeps. */
void xspi_write_ar(struct xspi_engine *e, uint32_t value, uint32_t keep);

/* The register block's bus accesses (with the xspi-wait fault), as
 * mmio_ops: `dev` is a controller whose struct begins with its struct
 * xspi_engine. */
bool xspi_reg_read(void *dev, uint32_t offset, unsigned size,
		   uint32_t *value, enum bus_master master);
bool xspi_reg_write(void *dev, uint32_t offset, unsigned size,
		    uint32_t value, enum bus_master master);

#endif
