/* Interrupt lines from the peripheral models to the NVIC.
 *
 * A model holds one struct irq_line per interrupt output and drives it with
 * the level of its interrupt condition, as the hardware does: typically
 * irq_set(&line, (SR & enabled_flags) != 0) after every register access or
 * internal event that can change either side. The NVIC treats the line as
 * level-sensitive (ARMv7-M ARM B3.4.1): a high line makes the interrupt
 * pending; the pending bit stays set when the line falls, until the
 * exception is taken or software clears it; a line still high when its
 * handler returns makes the interrupt pending again. A model with a pulse
 * output calls irq_pulse().
 *
 * The board connects a line with core_irq_line(cpu, IRQn) (cpu/core.h),
 * IRQn being the position in the device's vector table (RM0433 Table 147
 * for the STM32H7: FLASH 4, RCC 5, USART1 37, QUADSPI 92). A line that was
 * never connected (all zero, e.g. in a model's unit test) ignores calls, so
 * models need no special case. Calls are cheap (a changed level only) and
 * may be made from inside a bus access: the core takes the exception between
 * instructions. */
#ifndef SIM_CPU_IRQ_H
#define SIM_CPU_IRQ_H

#include <stdbool.h>

typedef void (*irq_set_fn)(void *nvic, unsigned irqn, bool level);

struct irq_line {
	irq_set_fn set;
	void *nvic;
	unsigned irqn;
};

static inline void irq_set(const struct irq_line *line, bool level)
{
	if (line && line->set)
		line->set(line->nvic, line->irqn, level);
}

static inline void irq_raise(const struct irq_line *line)
{
	irq_set(line, true);
}

static inline void irq_lower(const struct irq_line *line)
{
	irq_set(line, false);
}

/* A one-cycle pulse: sets the pending bit once. */
static inline void irq_pulse(const struct irq_line *line)
{
	irq_set(line, true);
	irq_set(line, false);
}

#endif
