/* State shared by the core (core.c) and its System Control Space model
 * (scs.c). Not for other modules. */
#ifndef SIM_CORE_INTERNAL_H
#define SIM_CORE_INTERNAL_H

#include <string.h>
#include <unicorn/unicorn.h>

#include "cpu/bus_cost.h"
#include "cpu/core.h"

/* ARMv7-M ARM C1.6: DHCSR bits. */
#define DHCSR_C_DEBUGEN (1U << 0)
#define DHCSR_C_HALT (1U << 1)
#define DHCSR_C_STEP (1U << 2)
#define DHCSR_C_MASKINTS (1U << 3)
#define DHCSR_C_SNAPSTALL (1U << 5)
#define DHCSR_S_REGRDY (1U << 16)
#define DHCSR_S_HALT (1U << 17)
#define DHCSR_S_SLEEP (1U << 18)
#define DHCSR_S_LOCKUP (1U << 19)
#define DHCSR_S_RETIRE_ST (1U << 24)
#define DHCSR_S_RESET_ST (1U << 25)
#define DHCSR_DBGKEY 0xA05F0000U

/* DFSR (C1.6.1). */
#define DFSR_HALTED (1U << 0)
#define DFSR_BKPT (1U << 1)
#define DFSR_DWTTRAP (1U << 2)
#define DFSR_VCATCH (1U << 3)
#define DFSR_EXTERNAL (1U << 4)

/* DEMCR (C1.6.5). */
#define DEMCR_VC_CORERESET (1U << 0)
#define DEMCR_VC_MMERR (1U << 4)
#define DEMCR_VC_NOCPERR (1U << 5)
#define DEMCR_VC_CHKERR (1U << 6)
#define DEMCR_VC_STATERR (1U << 7)
#define DEMCR_VC_BUSERR (1U << 8)
#define DEMCR_VC_INTERR (1U << 9)
#define DEMCR_VC_HARDERR (1U << 10)
#define DEMCR_TRCENA (1U << 24)

/* Exception numbers (B1.5.2). */
enum {
	EXC_RESET = 1,
	EXC_NMI = 2,
	EXC_HARDFAULT = 3,
	EXC_MEMMANAGE = 4,
	EXC_BUSFAULT = 5,
	EXC_USAGEFAULT = 6,
	EXC_SVCALL = 11,
	EXC_DEBUGMON = 12,
	EXC_PENDSV = 14,
	EXC_SYSTICK = 15,
};

/* CFSR bits (B3.2.15). */
#define CFSR_IACCVIOL (1U << 0)
#define CFSR_DACCVIOL (1U << 1)
#define CFSR_MMARVALID (1U << 7)
#define CFSR_MSTKERR (1U << 4)
#define CFSR_IBUSERR (1U << 8)
#define CFSR_PRECISERR (1U << 9)
#define CFSR_IMPRECISERR (1U << 10)
#define CFSR_STKERR (1U << 12)
#define CFSR_BFARVALID (1U << 15)
#define CFSR_UNDEFINSTR (1U << 16)
#define CFSR_INVSTATE (1U << 17)
#define CFSR_INVPC (1U << 18)
#define CFSR_NOCP (1U << 19)
#define CFSR_UNALIGNED (1U << 24)
#define CFSR_DIVBYZERO (1U << 25)
#define HFSR_VECTTBL (1U << 1)
#define HFSR_FORCED (1U << 30)

#define FPB_COMPARATORS 8
#define DWT_COMPARATORS 4

/* The most external interrupts an MCU here has: 160, five words of
 * NVIC bits. How many it wires is cpu->identity.irq_lines (core.h); the
 * bits and priorities of the others read as zero and ignore writes. */
#define NVIC_IRQS 160
#define NVIC_WORDS 5
/* STM32H7 implements four priority bits: [7:4] of each priority byte
 * (PM0253 §4.3.7, __NVIC_PRIO_BITS = 4). */
#define PRIO_MASK 0xF0U
/* Priority of thread mode with nothing active or boosting (B1.5.4). */
#define PRIO_THREAD 256

/* NVIC and system-exception state (B1.5.2, B3.4). Exception numbers: 1-15
 * system, 16 + IRQn external. */
struct nvic_state {
	uint32_t enabled[NVIC_WORDS];
	uint32_t pending[NVIC_WORDS];
	uint32_t active[NVIC_WORDS];
	uint32_t level[NVIC_WORDS];	/* interrupt lines as driven */
	uint8_t prio[NVIC_IRQS];
	uint16_t sys_pending;	/* bit n: system exception n pending */
	uint16_t sys_active;	/* bit n: system exception n active */
};

/* SysTick (B3.3): counting is worked out from the core clock; an event
 * fires when the counter reaches zero. */
struct systick_state {
	uint32_t csr;		/* ENABLE, TICKINT, CLKSOURCE (COUNTFLAG apart) */
	uint32_t rvr;
	bool countflag;
	uint64_t base_time;	/* core time at which the counter held base_val */
	uint32_t base_val;
	struct vclock_event zero;	/* the counter reaches 0 */
};

struct scs_state {
	uint32_t vtor, aircr_prigroup, scr, ccr, shpr[3], shcsr;
	uint32_t cfsr, hfsr, dfsr, mmfar, bfar, cpacr;
	uint32_t csselr; /* InD only: one cache level on the M7 */
	uint32_t dhcsr_ctrl;	/* C_* bits as last written */
	uint32_t dcrdr, demcr;
	uint32_t fp_ctrl_enable, fp_comp[FPB_COMPARATORS];
	uint32_t dwt_ctrl, dwt_lock;	/* dwt_lock: software lock engaged */
	uint32_t dwt_comp[DWT_COMPARATORS], dwt_mask[DWT_COMPARATORS],
		dwt_function[DWT_COMPARATORS];
	uint64_t cyccnt_base;	/* vclock value at which CYCCNT was 0 */
	uint32_t cyccnt_frozen;	/* CYCCNT while CYCCNTENA = 0 */
	uint32_t mpu_ctrl, mpu_rnr, mpu_rbar[16], mpu_rasr[16];
	uint32_t fpccr, fpcar, fpdscr;
	/* Cortex-M7 implementation defined (TRM ch. 3): ACTLR, and the
	 * writable bits of ITCMCR, DTCMCR and AHBPCR. */
	uint32_t actlr, itcmcr, dtcmcr, ahbpcr;
};

#define MPU_CACHE_WAYS 256
struct mpu_block_cache {
	bool valid, priv;
	uint32_t block, gen;
};

/* idle.c: a loop proven to repeat without effect (see there). */
#define IDLE_REGS 16
#define IDLE_MAX_LOOP 64
struct idle_probe {
	bool probing;		/* watching for a return to pc0 */
	bool found;		/* came back to pc0 in the same state */
	uint32_t pc0;
	unsigned steps, passes;
	uint64_t mmio0;
	uint32_t state0[IDLE_REGS];
	bool idle_now;		/* the core stands at an idle loop */
};

struct core {
	uc_engine *uc;
	struct bus *bus;
	struct vclock *clk;
	struct bus_cost *bus_cost;	/* what each data access costs */
	uint32_t boot_address;
	struct core_identity identity;
	core_sysreset_fn sysreset;
	void *sysreset_ctx;

	/* Run state. */
	bool halted;
	bool lockup;
	bool sleeping;
	bool epsr_t;		/* xPSR.T; Unicorn itself always runs Thumb */
	bool reset_st;		/* DHCSR.S_RESET_ST, cleared on read */
	bool retire_st;		/* DHCSR.S_RETIRE_ST, cleared on read */
	bool step_pending;	/* C_STEP: run one instruction, then halt */
	bool pending_sysreset;
	bool halt_from_entry;	/* C_HALT set by a debug entry, not written */

	/* Inside cpu_run. */
	uint64_t budget, executed;
	uint32_t insn_pc;	/* address of the instruction being executed */
	bool stop_for_fault;
	bool stop_for_bkpt;
	bool stop_for_exc_return;
	bool stop_for_svc;
	bool event_register;	/* WFE's event register (B1.5.18) */
	bool sleep_wfe;		/* asleep in WFE rather than WFI */
	uint32_t fault_addr;
	int fault_kind;		/* 0 none, else enum pending_fault */

	/* Writes into model-owned memory (flash) to re-sync after the
	 * instruction that made them. */
	struct {
		struct bus_region *region;
		uint32_t offset, size;
	} fixups[16];
	unsigned nfixups;

	uint64_t instructions;
	struct scs_state scs;
	struct dcache *dcache;	/* cpu/dcache.h; NULL: no cached windows */
	struct nvic_state nvic;
	struct systick_state systick;

	/* Something may have made an exception ready to preempt: check
	 * between instructions (an interrupt line rose, a pending bit was
	 * set, or an exception is pending but masked, so every PRIMASK/
	 * BASEPRI change could release it). */
	bool exc_check;
	/* An exception is pending but masked: within a run only a CPS or an
	 * MSR (B1.4.3, B5.2.2, B5.2.3) or a register write (NVIC, SCB) can
	 * release it, so the check waits for one of those (exc_rearm_next:
	 * after the CPS/MSR at hand executes) or for the next run. */
	bool exc_masked, exc_rearm_next;
	uint64_t exc_masked_mmio;	/* mmio_accesses when it was found */
	/* MPU: checked while MPU_CTRL.ENABLE is set (mpu_on, as of the start
	 * of the run); Unicorn's data-access hook is installed the first
	 * time the MPU can refuse an access to memory and then kept
	 * (mpu_hooked, core.c mpu_sync); until then peripherals check their
	 * own accesses. A privilege or MPU change ends the run before the
	 * next instruction (mpu_resync) so that this is decided again. */
	bool mpu_on, mpu_hooked, mpu_resync;
	uint32_t mpu_sync_gen, mpu_sync_ctrl;
	bool mpu_sync_priv, mpu_sync_valid, mpu_sync_want;
	/* Engine renewal (core.c): when the resident size was last looked
	 * at (host ns), and whether Unicorn is running (no renewal then). */
	long long renew_checked_ns;
	bool in_engine;
	uc_hook mpu_hook;
	uint32_t mpu_gen;	/* bumped by every MPU register write */
	/* Blocks known to allow each kind of access (enum mpu_access),
	 * direct-mapped by block number. */
	struct mpu_block_cache mpu_cache[3][MPU_CACHE_WAYS];
	uint32_t mpu_fetch_block;	/* 32-byte block last fetched from */
	bool fpb_armed;		/* an FPB comparator can halt the core */
	/* Privilege as the MPU last read it, valid within a run of
	 * instructions until an MSR (core.c, mpu.c). */
	bool priv_known, priv;
	const struct bus_region *code_region;	/* holds the last MSR check */
	/* The access the MPU refused in the current instruction: MMIO models
	 * do not see it, and stores to memory are undone. */
	bool mpu_blocked;
	struct {
		uint8_t *at;
		uint8_t old[8];
		unsigned len;
	} mpu_undo[8];
	unsigned nmpu_undo;
	/* Instructions psramsim checks before Unicorn executes them
	 * (INSN_TRAP_*, worked out by scs_traps_update from CPACR and CCR). */
	unsigned insn_traps;
	/* The memory of cpu->code_region, for insn_may_trap's quick look
	 * (base 1, matching no instruction, until there is one). */
	uint32_t trap_code_base, trap_code_last;
	const uint8_t *trap_code_mem;
	/* Idle-loop detection (idle.c). */
	struct idle_probe idle;
	uint64_t mmio_accesses;	/* peripheral accesses by the core */
	/* The instruction whose peripheral load was seen last (insn_pc and
	 * executed then): a second piece of it is an unaligned load (core.c,
	 * device_misaligned). */
	uint32_t mmio_piece_pc;
	uint64_t mmio_piece_at;
	/* Time the core spent halted: CYCCNT and SysTick do not count in
	 * Debug state; the board's clock does. */
	uint64_t halted_cycles, halt_start;
};

enum pending_fault {
	FAULT_NONE,
	FAULT_READ,		/* precise data bus error */
	FAULT_WRITE,		/* imprecise data bus error */
	FAULT_FETCH,
	FAULT_UNDEF,
	FAULT_INVSTATE,
	FAULT_UNALIGNED,
	FAULT_NOCP,
	FAULT_INVPC,
	FAULT_IACCVIOL,		/* fetch from an execute-never region */
	FAULT_MPU_DATA,		/* load or store the MPU does not allow */
	/* Found by psramsim before the instruction executes (core.c,
	 * insn_trap): Unicorn has neither CPACR nor CCR of its own. */
	FAULT_COPROC,		/* FP with CPACR denying it: NOCP */
	FAULT_DIVBYZERO,	/* SDIV/UDIV by zero with CCR.DIV_0_TRP */
	FAULT_MISALIGNED,	/* an access that must be aligned is not */
};

/* insn_traps bits: FP instructions (coprocessor space) while CPACR does
 * not give full access to CP10/CP11 (B3.2.20), SDIV/UDIV while
 * CCR.DIV_0_TRP is set (B3.2.8). */
#define INSN_TRAP_COPROC 1U
#define INSN_TRAP_DIV0 2U
/* Halfword and word loads and stores while CCR.UNALIGN_TRP is set. */
#define INSN_TRAP_UNALIGN 4U
/* FP instructions while FPCCR.LSPACT is set: the first ends the lazy
 * preservation (core.c, take_exception). */
#define INSN_TRAP_LAZYFP 8U
void scs_traps_update(struct core *cpu);

/* align.c (A3.2.1): whether the LDM/STM/LDRD/STRD/VLDR/VSTR/VLDM/VSTM
 * (hw1, hw2; size 2 or 4 bytes) would access memory that is not word
 * aligned; and the address and size (2 or 4; 0 for anything else) of a
 * single halfword or word load or store. Registers as they are before
 * the instruction executes. */
bool align_multiple_misaligned(struct core *cpu, uint16_t hw1, uint16_t hw2,
			       unsigned size);
unsigned align_single_access(struct core *cpu, uint16_t hw1, uint16_t hw2,
			     unsigned size, uint32_t *addr);
/* Core register n (0-15, PC as the instruction's address) before the
 * instruction executes. */
uint32_t align_reg(struct core *cpu, unsigned n);

uint32_t core_read_regsel(struct core *cpu, unsigned regsel, bool *ok);
bool core_write_regsel(struct core *cpu, unsigned regsel, uint32_t value);
void core_request_halt(struct core *cpu, uint32_t dfsr_reason);
void core_debug_resume(struct core *cpu);
uint32_t scs_cyccnt(struct core *cpu);
uint32_t core_ipsr(struct core *cpu);
void scs_reset(struct core *cpu, bool power_on);

/* Core time: the board's cycles less those spent halted. */
uint64_t core_time(const struct core *cpu);

/* nvic.c: exception priorities and states (B1.5.4, B3.4). */
void nvic_reset(struct core *cpu);
int exc_priority(const struct core *cpu, unsigned exc);
int exc_group_priority(const struct core *cpu, int prio);
int execution_priority(struct core *cpu);
/* The same as if PRIMASK were clear (what wakes WFI, B1.5.19). */
int execution_priority_ex(struct core *cpu, bool ignore_primask);
/* MSP, PSP, PRIMASK, BASEPRI, FAULTMASK whatever the privilege of the
 * code running (Unicorn applies MRS/MSR rules to them). */
uint32_t core_sysreg_get(struct core *cpu, int reg);
void core_sysreg_set(struct core *cpu, int reg, uint32_t v);
/* The pending exception that would be taken next and its priority, or 0. */
unsigned exc_pending_best(const struct core *cpu, int *prio);
bool exc_is_active(const struct core *cpu, unsigned exc);
void exc_set_active(struct core *cpu, unsigned exc, bool on);
void exc_set_pending(struct core *cpu, unsigned exc, bool on);
bool exc_is_pending(const struct core *cpu, unsigned exc);
/* Active exceptions other than `exc`. */
bool exc_others_active(const struct core *cpu, unsigned exc);
/* An exception just returned: a level interrupt still high pends again. */
void nvic_after_return(struct core *cpu, unsigned exc);
bool nvic_read(struct core *cpu, uint32_t off, uint32_t *v);
bool nvic_write(struct core *cpu, uint32_t off, uint32_t v, bool debugger);

/* mpu.c (B3.5): may the core make this access now? */
enum mpu_access { MPU_FETCH, MPU_READ, MPU_WRITE };
bool mpu_allows(struct core *cpu, uint32_t addr, unsigned size,
		enum mpu_access access);
/* The privilege the MPU checks against (B1.4.4), as of this run. */
bool mpu_privileged(struct core *cpu);
/* Whether the MPU, for privilege `priv`, refuses any load or store in
 * the core's memories (as opposed to peripherals). */
bool mpu_refuses_memory(struct core *cpu, bool priv);

void idle_probe_start(struct core *cpu, uint32_t pc);
bool idle_probe_step(struct core *cpu, uint32_t addr, uint32_t size);

/* systick.c (B3.3). */
void systick_init(struct core *cpu);
void systick_reset(struct core *cpu);
uint32_t systick_read(struct core *cpu, uint32_t off, bool debugger);
void systick_write(struct core *cpu, uint32_t off, uint32_t v);
/* The core halts and resumes: SysTick stops counting meanwhile. */
void systick_halted(struct core *cpu, bool halted);

#endif
