/*
 * GPIO port registers (the GPIO chapters of RM0433 and RM0410; the same
 * layout on every STM32F7/H7), from CMSIS GPIO_TypeDef as collected in
 * docs/hardware-stm32h7.md §5.
 */
#ifndef TARGET_STUBS_REGS_GPIO_H
#define TARGET_STUBS_REGS_GPIO_H

#define GPIO_H7_BASE 0x58020000U	/* GPIOA; port n at + n * GPIO_PORT_STRIDE */
#define GPIO_F7_BASE 0x40020000U
#define GPIO_PORT_STRIDE 0x400U

#define GPIO_MODER 0x00U	/* 2 bits per pin */
#define GPIO_MODE_INPUT 0U
#define GPIO_MODE_OUTPUT 1U
#define GPIO_MODE_AF 2U
#define GPIO_MODE_ANALOG 3U
#define GPIO_OTYPER 0x04U	/* 1 bit per pin: 0 push-pull, 1 open-drain */
#define GPIO_OSPEEDR 0x08U	/* 2 bits per pin: 0 low .. 3 very high */
#define GPIO_PUPDR 0x0CU	/* 2 bits per pin: 0 none, 1 up, 2 down */
#define GPIO_IDR 0x10U
#define GPIO_ODR 0x14U
#define GPIO_BSRR 0x18U		/* [15:0] set, [31:16] reset */
#define GPIO_BSRR_SET(pin) (1U << (pin))
#define GPIO_BSRR_RESET(pin) (1U << ((pin) + 16U))
#define GPIO_LCKR 0x1CU
#define GPIO_AFRL 0x20U		/* 4 bits per pin, pins 0..7 */
#define GPIO_AFRH 0x24U		/* 4 bits per pin, pins 8..15 */

#define GPIO_FIELD2_MASK(pin) (0x3U << ((pin) * 2U))
#define GPIO_FIELD2(pin, v) ((uint32_t)(v) << ((pin) * 2U))
#define GPIO_AF_MASK(pin) (0xFU << (((pin) & 7U) * 4U))
#define GPIO_AF(pin, af) ((uint32_t)(af) << (((pin) & 7U) * 4U))

#endif
