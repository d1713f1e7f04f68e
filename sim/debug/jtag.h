/* The JTAG scan chain of an STM32H7 as target/stm32h7x.cfg declares it:
 *
 *   TDI -> boundary-scan TAP (IR 5 bits) -> DAP TAP (IR 4 bits) -> TDO
 *
 * Both TAPs share TCK, TMS and TRST, so one state machine (IEEE 1149.1
 * clause 6) drives both. Pins are sampled on the rising edge of TCK and TDO
 * changes on the falling edge (IEEE 1149.1 clause 4, TDO), which is what a
 * bitbanging debugger sees when it reads TDO with TCK low. The DAP TAP hands
 * its DPACC/APACC/ABORT scans to the adi layer. */
#ifndef SIM_JTAG_H
#define SIM_JTAG_H

#include <stdbool.h>
#include <stdint.h>

struct adi_dp;

enum tap_state {
	TAP_RESET,
	TAP_IDLE,
	TAP_DR_SELECT,
	TAP_DR_CAPTURE,
	TAP_DR_SHIFT,
	TAP_DR_EXIT1,
	TAP_DR_PAUSE,
	TAP_DR_EXIT2,
	TAP_DR_UPDATE,
	TAP_IR_SELECT,
	TAP_IR_CAPTURE,
	TAP_IR_SHIFT,
	TAP_IR_EXIT1,
	TAP_IR_PAUSE,
	TAP_IR_EXIT2,
	TAP_IR_UPDATE,
	TAP_STATES
};

/* Next state for [state][TMS] (IEEE 1149.1 clause 6, TAP controller state
 * diagram). */
extern const uint8_t jtag_next_state[TAP_STATES][2];
const char *jtag_state_name(enum tap_state state);

/* The ST boundary-scan TAP: IDCODE and BYPASS only. Instruction codes from
 * ST's STM32 BSDL files (IDCODE 00001, BYPASS 11111); IEEE 1149.1 clause 7
 * requires the IR to capture ...01, and ST's TAP captures 00001. */
#define JTAG_BS_IRLEN		5
#define JTAG_BS_IR_IDCODE	0x01
#define JTAG_BS_IR_BYPASS	0x1F
#define JTAG_BS_IR_CAPTURE	0x01

/* IDCODEs: the BS TAP follows ST's 0x06<DEV_ID>041 scheme (0x06450041 for
 * STM32H74x/75x); the DAP TAP is the ARM JTAG-DP 0x6BA00477. */
#define JTAG_IDCODE_DAP_CM7	0x6BA00477U
#define JTAG_IDCODE_BS_H74X	0x06450041U

struct jtag_tap {
	uint8_t ir;		/* instruction in force (after Update-IR) */
	uint8_t ir_shift;	/* IR shift stage */
	uint8_t dr_len;		/* length of the selected DR */
	uint64_t dr_shift;	/* selected data register's shift stage */
};

struct jtag_chain {
	enum tap_state state;
	bool tck;		/* TCK level last driven */
	bool tdo;		/* TDO pin, updated on falling TCK */
	bool trst;		/* TRST asserted: TAPs held in reset */
	uint32_t bs_idcode;
	uint32_t dap_idcode;
	struct jtag_tap bs;	/* next to TDI */
	struct jtag_tap dap;	/* next to TDO */
	struct adi_dp *dp;
};

/* A chain in its power-on state, the DAP TAP wired to dp (which must have
 * been set up with adi_init). */
void jtag_init(struct jtag_chain *chain, uint32_t bs_idcode,
	       uint32_t dap_idcode, struct adi_dp *dp);

/* Power-on reset of both TAPs and of the DP/AP registers behind the DAP
 * TAP (what a new debugger connection sees). */
void jtag_power_on(struct jtag_chain *chain);

/* nTRST: while asserted the TAPs stay in Test-Logic-Reset and ignore TCK
 * (IEEE 1149.1 clause 4, TRST: an asynchronous TAP controller reset). The
 * DP registers are not reset by TRST. */
void jtag_set_trst(struct jtag_chain *chain, bool asserted);

/* Drive TCK, TMS and TDI. The state moves on a rising TCK edge; TDO is
 * updated on a falling edge. */
void jtag_pins(struct jtag_chain *chain, bool tck, bool tms, bool tdi);

/* Let the board catch up with the last DAP transaction (adi_settle):
 * called once the replies to a scan are on their way. */
void jtag_settle(struct jtag_chain *chain);

static inline bool jtag_tdo(const struct jtag_chain *chain)
{
	return chain->tdo;
}

#endif
