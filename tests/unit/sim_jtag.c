/* The TAP chain driven bit by bit the way OpenOCD 0.12's bitbang driver
 * drives it (src/jtag/drivers/bitbang.c): per bit write(TCK=0), an optional
 * TDO read, write(TCK=1); one more TCK=0 write after every state move. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "debug/adi.h"
#include "jtag_rig.h"
#include "util/log.h"
#include "unit.h"

#define IDCODE_DAP 0x6BA00477U
#define IDCODE_BS 0x06450041U

static struct adi_dp dp;

static void setup(void)
{
	sim_log_quiet(1);
	adi_init(&dp, 0x6BA02477);
	jtag_init(&chain, IDCODE_BS, IDCODE_DAP, &dp);
}

static void tlr(void)
{
	tms("11111");
}

static uint32_t word(const uint8_t *b, unsigned i)
{
	return (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
	       (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

/* IR for the DAP TAP, BYPASS for the BS TAP (nearest TDI, so last). */
static void set_dap_ir(unsigned ir)
{
	scan64(true, ir | (uint64_t)JTAG_BS_IR_BYPASS << ADI_IRLEN,
	       ADI_IRLEN + JTAG_BS_IRLEN);
}

/* A DPACC/APACC scan: 35 DAP bits plus the BS TAP's BYPASS bit. */
static uint64_t dap_scan(uint64_t request)
{
	return scan64(false, request, ADI_DR_LEN + 1) &
	       ((UINT64_C(1) << ADI_DR_LEN) - 1);
}

static void test_next_state_table(void)
{
	setup();
	/* Five TMS=1 clocks reach Test-Logic-Reset from every state. */
	for (unsigned s = 0; s < TAP_STATES; s++) {
		unsigned st = s;

		for (int i = 0; i < 5; i++)
			st = jtag_next_state[st][1];
		CHECK_EQ(st, TAP_RESET);
	}
	/* The stable states hold with the TMS value that keeps them. */
	CHECK_EQ(jtag_next_state[TAP_RESET][1], TAP_RESET);
	CHECK_EQ(jtag_next_state[TAP_IDLE][0], TAP_IDLE);
	CHECK_EQ(jtag_next_state[TAP_DR_SHIFT][0], TAP_DR_SHIFT);
	CHECK_EQ(jtag_next_state[TAP_DR_PAUSE][0], TAP_DR_PAUSE);
	CHECK_EQ(jtag_next_state[TAP_IR_SHIFT][0], TAP_IR_SHIFT);
	CHECK_EQ(jtag_next_state[TAP_IR_PAUSE][0], TAP_IR_PAUSE);
	CHECK_EQ(jtag_next_state[TAP_DR_EXIT2][0], TAP_DR_SHIFT);
	CHECK_EQ(jtag_next_state[TAP_IR_EXIT2][0], TAP_IR_SHIFT);
	CHECK_EQ(jtag_next_state[TAP_IR_SELECT][1], TAP_RESET);
	CHECK_EQ(jtag_next_state[TAP_DR_UPDATE][1], TAP_DR_SELECT);
	CHECK_EQ(jtag_next_state[TAP_IR_UPDATE][0], TAP_IDLE);
	CHECK_STR(jtag_state_name(TAP_DR_SHIFT), "Shift-DR");
	/* Idle -> Shift-IR is 1100, and the chain follows. */
	tlr();
	tms("01100");
	CHECK_EQ(chain.state, TAP_IR_SHIFT);
	tlr();
	CHECK_EQ(chain.state, TAP_RESET);
}

static void test_idcode_chain_interrogation(void)
{
	uint8_t in[84], out[84];

	setup();
	/* jtag_examine_chain: TLR, then 21 x 32 bits of ones. */
	tlr();
	tms("0");
	memset(in, 0xFF, sizeof(in));
	memset(out, 0, sizeof(out));
	scan(false, in, out, 21 * 32);
	CHECK_EQ(word(out, 0), IDCODE_DAP); /* nearest TDO comes first */
	CHECK_EQ(word(out, 1), IDCODE_BS);
	for (unsigned i = 2; i < 21; i++)
		CHECK_EQ(word(out, i), 0xFFFFFFFFU);
	/* The BS IDCODE decodes as ST (JEP106 0x020) part 0x6450. */
	CHECK_EQ((IDCODE_BS >> 1) & 0x7FF, 0x020);
	CHECK_EQ((IDCODE_BS >> 12) & 0xFFFF, 0x6450);
}

static void test_ir_capture_check(void)
{
	uint64_t captured;

	setup();
	tlr();
	tms("0");
	/* jtag_validate_ircapture: 4 + 5 + 2 bits of ones. */
	captured = scan64(true, 0x7FF, 11);
	CHECK_EQ(captured & 0xF, 0x1);		/* DAP TAP, mask 0xF */
	CHECK_EQ((captured >> 4) & 0x3, 0x1);	/* BS TAP, mask 0x3 */
	CHECK_EQ((captured >> 4) & 0x1F, JTAG_BS_IR_CAPTURE);
	CHECK_EQ(captured >> 9, 0x3);		/* the sentinel */
	CHECK_EQ(chain.dap.ir, ADI_IR_BYPASS);
	CHECK_EQ(chain.bs.ir, JTAG_BS_IR_BYPASS);
	/* Both in BYPASS: two 0 bits, then TDI delayed by two. */
	CHECK_EQ(scan64(false, 0xA5, 10), (uint64_t)0xA5 << 2);
}

static void test_tdo_changes_on_falling_edge(void)
{
	setup();
	tlr();
	tms("0100"); /* Idle -> Shift-DR, ending with TCK low */
	CHECK_EQ(chain.state, TAP_DR_SHIFT);
	CHECK_EQ(jtag_tdo(&chain), IDCODE_DAP & 1);
	for (int i = 0; i < 3; i++) {
		jtag_pins(&chain, true, false, true);
		jtag_pins(&chain, false, false, true);
	}
	CHECK_EQ(jtag_tdo(&chain), (IDCODE_DAP >> 3) & 1);
	/* A rising edge shifts, but TDO holds until TCK falls. */
	jtag_pins(&chain, true, false, true);
	CHECK_EQ(jtag_tdo(&chain), (IDCODE_DAP >> 3) & 1);
	jtag_pins(&chain, false, false, true);
	CHECK_EQ(jtag_tdo(&chain), (IDCODE_DAP >> 4) & 1);
	CHECK(((IDCODE_DAP >> 3) & 1) != ((IDCODE_DAP >> 4) & 1));
	/* Repeated TCK=0 writes are not edges. */
	jtag_pins(&chain, false, true, true);
	CHECK_EQ(chain.state, TAP_DR_SHIFT);
}

static void test_trst_and_tlr(void)
{
	setup();
	tlr();
	tms("0");
	scan64(true, 0x7FF, 9); /* both BYPASS */
	CHECK_EQ(scan64(false, 0, 32), 0);
	/* TRST: IDCODE again, and TCK is ignored while it is held. */
	jtag_set_trst(&chain, true);
	CHECK_EQ(chain.state, TAP_RESET);
	tms("0");
	CHECK_EQ(chain.state, TAP_RESET);
	jtag_set_trst(&chain, false);
	tms("0");
	CHECK_EQ((uint32_t)scan64(false, 0, 32), IDCODE_DAP);
	/* TLR by TMS selects IDCODE too. */
	scan64(true, 0x7FF, 9);
	tlr();
	tms("0");
	CHECK_EQ((uint32_t)scan64(false, 0, 32), IDCODE_DAP);
}

static void test_unimplemented_ir_is_bypass(void)
{
	setup();
	tlr();
	tms("0");
	/* DAP IR 0x3 (unused) and BS IR EXTEST 0x00: 1 bit each. */
	scan64(true, 0x3, 9);
	CHECK_EQ(chain.dap.ir, 0x3);
	CHECK_EQ(chain.bs.ir, 0x00);
	CHECK_EQ(scan64(false, 0x1, 3), 0x1 << 2);
	/* IR = IDCODE on the DAP, BYPASS on BS: 33 bits. */
	set_dap_ir(ADI_IR_IDCODE);
	CHECK_EQ(scan64(false, 0, 33) & 0xFFFFFFFFU, IDCODE_DAP);
}

static void test_dpacc_through_chain(void)
{
	uint64_t cap;

	setup();
	tlr();
	tms("0");
	set_dap_ir(ADI_IR_DPACC);
	CHECK_EQ(chain.dap.ir, ADI_IR_DPACC);
	cap = dap_scan(adi_dr_request(false, ADI_DP_CTRL_STAT, 0x50000000));
	CHECK_EQ(cap & 7, ADI_ACK_OK_FAULT);
	dap_scan(adi_dr_request(true, ADI_DP_CTRL_STAT, 0));
	cap = dap_scan(adi_dr_request(true, ADI_DP_RDBUFF, 0));
	CHECK_EQ(cap & 7, ADI_ACK_OK_FAULT);
	CHECK_EQ(cap >> 3, 0xF0000000U);
	/* TLR leaves the DP registers alone; a power-on reset clears them. */
	tlr();
	CHECK_EQ(dp.ctrl_stat, 0xF0000000U);
	jtag_power_on(&chain);
	CHECK_EQ(dp.ctrl_stat, 0);
	CHECK_EQ(chain.dap.ir, ADI_IR_IDCODE);
}

static void test_dr_update_without_shift(void)
{
	setup();
	tlr();
	tms("0");
	set_dap_ir(ADI_IR_DPACC);
	/* Select-DR, Capture-DR, Exit1-DR, Update-DR, Idle with no shift:
	 * Update-DR acts on the captured bits as they stand (ACK 0b010
	 * reads as a CTRL/STAT write of ReadResult), as on silicon. */
	dp.ctrl_stat = ADI_CS_CDBGPWRUPREQ | ADI_CS_CDBGPWRUPACK;
	tms("10110");
	CHECK_EQ(chain.state, TAP_IDLE);
	CHECK_EQ(dp.ctrl_stat, 0);
	CHECK_EQ((uint32_t)(dap_scan(adi_dr_request(true, 0, 0)) & 7),
		 ADI_ACK_OK_FAULT);
}

UNIT_MAIN("sim_jtag", UNIT_TEST(test_next_state_table),
	  UNIT_TEST(test_idcode_chain_interrogation),
	  UNIT_TEST(test_ir_capture_check),
	  UNIT_TEST(test_tdo_changes_on_falling_edge),
	  UNIT_TEST(test_trst_and_tlr),
	  UNIT_TEST(test_unimplemented_ir_is_bypass),
	  UNIT_TEST(test_dpacc_through_chain),
	  UNIT_TEST(test_dr_update_without_shift))
