/* Bus bring-up from the mailbox parameters. */
#include "runtime/board_setup.h"

#include "periph/clock.h"
#include "runtime/core.h"
#include "runtime/command_table.h"
#include "runtime/ring.h"

#define HZ_MIN 1000000U
#define HZ_MAX 1000000000U
#define CHIP_SIZE_DEFAULT_LOG2 23U	/* 8 MiB */
#define CHIP_SIZE_MIN_LOG2 10U
#define CHIP_SIZE_MAX_LOG2 28U		/* the memory-mapped window */
#define WINDOW_ALIGN_MASK 0x0FFFFFFFU
#define XSPI_BASE_ALIGN_MASK 0x3FFU
/* ~40 kΩ pulls against a few tens of pF settle in a few µs. */
#define PROBE_SETTLE_US 20U

static int size_log2(uint32_t size)
{
	for (uint32_t n = CHIP_SIZE_MIN_LOG2; n <= CHIP_SIZE_MAX_LOG2; n++)
		if (size == 1U << n)
			return (int)n;
	return -1;
}

static uint32_t chip_size_log2(const volatile struct stub_params *prm)
{
	return prm->chip_size ? (uint32_t)size_log2(prm->chip_size)
			      : CHIP_SIZE_DEFAULT_LOG2;
}

static int check_pins(struct stub_ctx *ctx)
{
	const volatile struct stub_params *prm = &ctx->mb->params;

	for (uint32_t i = 0; i < STUB_PIN_COUNT; i++) {
		struct gpio_pin *p = &ctx->pins[i];

		if (!gpio_pin_from_params(p, ctx->family, &prm->pins[i]))
			return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
					 STUB_DETAIL_PIN,
					 (uint32_t)prm->pins[i].port << 8 |
						 prm->pins[i].pin,
					 i);
		for (uint32_t j = 0; j < i; j++)
			if (ctx->pins[j].port == p->port &&
			    ctx->pins[j].pin == p->pin)
				return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
						 STUB_DETAIL_PIN,
						 (uint32_t)p->port << 8 | p->pin,
						 i);
	}
	return STUB_STATUS_OK;
}

int bus_check_params(struct stub_ctx *ctx)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t family = prm->family;
	uint32_t want_xspi;
	uint32_t kernel = prm->kernel_hz;
	uint32_t clock = prm->clock_hz;

	switch (family) {
	case STUB_FAMILY_STM32H7:
	case STUB_FAMILY_STM32F7:
		want_xspi = STUB_XSPI_QUADSPI;
		break;
	case STUB_FAMILY_STM32H7A3:
		want_xspi = STUB_XSPI_OCTOSPI;
		break;
	default:
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_FAMILY, family, 0U);
	}
	ctx->family = family;
	if (prm->xspi != want_xspi)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_XSPI,
				 prm->xspi, family);
	if (prm->xspi_base == 0U || (prm->xspi_base & XSPI_BASE_ALIGN_MASK))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_XSPI_BASE, prm->xspi_base, 0U);
	if (prm->xspi_window == 0U || (prm->xspi_window & WINDOW_ALIGN_MASK))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_XSPI_WINDOW, prm->xspi_window, 0U);
	if (kernel < HZ_MIN || kernel > HZ_MAX)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_KERNEL_HZ, kernel, 0U);
	if (prm->cpu_hz < HZ_MIN || prm->cpu_hz > HZ_MAX)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CPU_HZ, prm->cpu_hz, 0U);
	/* The prescaler divides by 256 at most; a slower clock could only
	 * be reached by exceeding the request. */
	if (clock != 0U && clock < (kernel + 255U) / 256U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, clock, kernel);
	if (prm->sample_shift > STUB_SSHIFT_ON)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_SAMPLE_SHIFT, prm->sample_shift, 0U);
	if (prm->chip > STUB_CHIP_IPS6404L)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_CHIP,
				 prm->chip, 0U);
	if (prm->chip_size != 0U && size_log2(prm->chip_size) < 0)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CHIP_SIZE, prm->chip_size, 0U);
	return check_pins(ctx);
}

int bus_clocks_on(struct stub_ctx *ctx)
{
	uint32_t ports = 0;

	for (uint32_t i = 0; i < STUB_PIN_COUNT; i++)
		ports |= 1U << ctx->pins[i].port;
	clock_gpio_enable(ctx->family, ports);
	if (clock_xspi_enable_reset(ctx->family, ctx->mb->params.xspi_base) !=
	    STUB_STATUS_OK)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_XSPI_BASE,
				 ctx->mb->params.xspi_base, ctx->family);
	return STUB_STATUS_OK;
}

void bus_pins_xspi(struct stub_ctx *ctx)
{
	/* nCS first, so that CE# is under the controller's control before
	 * CLK and data change hands. */
	gpio_mode_af(&ctx->pins[STUB_PIN_NCS]);
	for (uint32_t i = 0; i < STUB_PIN_COUNT; i++)
		if (i != STUB_PIN_NCS)
			gpio_mode_af(&ctx->pins[i]);
}

uint8_t bus_probe_lines(struct stub_ctx *ctx, uint32_t pull)
{
	uint8_t levels = 0;

	/* With CE# high every chip leaves its IO pins alone, so each line
	 * should follow the pull; one that does not is held by something. */
	gpio_mode_output(&ctx->pins[STUB_PIN_NCS], 1U);
	gpio_mode_output(&ctx->pins[STUB_PIN_CLK], 0U);
	for (uint32_t n = 0; n < 4U; n++)
		gpio_mode_input(&ctx->pins[STUB_PIN_IO0 + n], pull);
	timer_delay_us(&ctx->timer, PROBE_SETTLE_US);
	for (uint32_t n = 0; n < 4U; n++)
		levels |= (uint8_t)(gpio_level(&ctx->pins[STUB_PIN_IO0 + n]) << n);
	return levels;
}

static void bus_event(void *arg, uint16_t code, uint32_t a, uint32_t b)
{
	(void)ring_log(arg, code, a, b, 0U);
}

int bus_xspi_init(struct stub_ctx *ctx, uint32_t max_hz)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	struct xspi *x = &ctx->xspi;
	struct xspi_config cfg;
	uint32_t want = prm->clock_hz;
	int st;

	/* The transport the board file names (PSRAM_XSPI), if this image
	 * has its driver; bus_check_params matched it to the family. */
	x->ops = prm->xspi < STUB_XSPI_SLOTS ? stub_xspi_drivers[prm->xspi]
					     : 0;
	if (!x->ops)
		return stub_fail(ctx, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_XSPI,
				 prm->xspi, ctx->family);
	x->timer = &ctx->timer;
	x->base = prm->xspi_base;
	x->window = prm->xspi_window;
	x->event = bus_event;
	x->event_arg = ctx;

	cfg.kernel_hz = prm->kernel_hz;
	cfg.clock_hz = want == 0U || want > max_hz ? max_hz : want;
	cfg.cs_high_ns = psram_timing(prm->chip)->tcph_ns;
	cfg.clk_high_ps = psram_timing(prm->chip)->tch_ps;
	cfg.size_log2 = chip_size_log2(prm);
	cfg.sample_shift = prm->sample_shift;
	/* Speculative reads must not reach the window while it is not
	 * mapped (pitfall 15). */
	core_mpu_block_window(x->window);
	st = x->ops->init(x, &cfg);
	ctx->mb->result.xspi.clock_hz = x->setup.clock_hz;
	ctx->mb->result.xspi.prescaler = x->setup.prescaler;
	ctx->mb->result.xspi.cs_high_cycles = x->setup.cs_high_cycles;
	ctx->mb->result.xspi.sample_shift = x->setup.sample_shift;
	if (st != STUB_STATUS_OK)
		return bus_status(ctx, st);
	psram_init(&ctx->psram, x, prm->chip, 1U << cfg.size_log2,
		   x->setup.clock_hz);
	return STUB_STATUS_OK;
}

int bus_status(struct stub_ctx *ctx, int status)
{
	if (status == STUB_STATUS_OK)
		return status;
	return stub_fail(ctx, status, ctx->xspi.fail_detail, ctx->xspi.fail_a,
			 ctx->xspi.fail_b);
}

int bus_psram_start(struct stub_ctx *ctx, uint32_t *read_cmd,
		    uint32_t *write_cmd)
{
	bool qpi = ctx->mb->params.mode == STUB_MODE_QPI;
	int st = bus_status(ctx, psram_reset(&ctx->psram));

	if (st == STUB_STATUS_OK && qpi)
		st = bus_status(ctx, psram_enter_qpi(&ctx->psram));
	if (st == STUB_STATUS_OK)
		psram_pick_commands(&ctx->psram, qpi, read_cmd, write_cmd);
	return st;
}
