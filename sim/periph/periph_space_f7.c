/* The STM32F7 register boundary addresses (periph/periph_space_f7.h). */
#include "periph/periph_space_f7.h"

#define K 0x400U

/* The blocks both lines share, by bus, in address order (RM0385 Table 1).
 * The blocks psramsim models (PWR, SYSCFG, GPIOA-K, RCC, FLASH, the backup
 * SRAM, QUADSPI) are listed too: their own regions come first on the bus,
 * so the table answers only for what is left. */
#define F7_COMMON                                                              \
	/* APB1 */                                                             \
	{"TIM2", 0x40000000U, K}, {"TIM3", 0x40000400U, K},                    \
	{"TIM4", 0x40000800U, K}, {"TIM5", 0x40000C00U, K},                    \
	{"TIM6", 0x40001000U, K}, {"TIM7", 0x40001400U, K},                    \
	{"TIM12", 0x40001800U, K}, {"TIM13", 0x40001C00U, K},                  \
	{"TIM14", 0x40002000U, K}, {"LPTIM1", 0x40002400U, K},                 \
	{"RTC & BKP", 0x40002800U, K}, {"WWDG", 0x40002C00U, K},               \
	{"IWDG", 0x40003000U, K}, {"SPI2/I2S2", 0x40003800U, K},               \
	{"SPI3/I2S3", 0x40003C00U, K}, {"SPDIFRX", 0x40004000U, K},            \
	{"USART2", 0x40004400U, K}, {"USART3", 0x40004800U, K},                \
	{"UART4", 0x40004C00U, K}, {"UART5", 0x40005000U, K},                  \
	{"I2C1", 0x40005400U, K}, {"I2C2", 0x40005800U, K},                    \
	{"I2C3", 0x40005C00U, K}, {"I2C4", 0x40006000U, K},                    \
	{"CAN1", 0x40006400U, K}, {"CAN2", 0x40006800U, K},                    \
	{"HDMI-CEC", 0x40006C00U, K}, {"PWR", 0x40007000U, K},                 \
	{"DAC", 0x40007400U, K}, {"UART7", 0x40007800U, K},                    \
	{"UART8", 0x40007C00U, K},                                             \
	/* APB2 */                                                             \
	{"TIM1", 0x40010000U, K}, {"TIM8", 0x40010400U, K},                    \
	{"USART1", 0x40011000U, K}, {"USART6", 0x40011400U, K},                \
	{"ADC1-ADC2-ADC3", 0x40012000U, K}, {"SDMMC1", 0x40012C00U, K},        \
	{"SPI1", 0x40013000U, K}, {"SPI4", 0x40013400U, K},                    \
	{"SYSCFG", 0x40013800U, K}, {"EXTI", 0x40013C00U, K},                  \
	{"TIM9", 0x40014000U, K}, {"TIM10", 0x40014400U, K},                   \
	{"TIM11", 0x40014800U, K}, {"SPI5", 0x40015000U, K},                   \
	{"SPI6", 0x40015400U, K}, {"SAI1", 0x40015800U, K},                    \
	{"SAI2", 0x40015C00U, K}, {"LCD-TFT", 0x40016800U, K},                 \
	/* AHB1 */                                                             \
	{"GPIOA-K", 0x40020000U, 11 * K}, {"CRC", 0x40023000U, K},             \
	{"RCC", 0x40023800U, K}, {"Flash interface", 0x40023C00U, K},          \
	{"BKPSRAM", 0x40024000U, 4 * K}, {"DMA1", 0x40026000U, K},             \
	{"DMA2", 0x40026400U, K}, {"Ethernet MAC", 0x40028000U, 5 * K},        \
	{"DMA2D", 0x4002B000U, 3 * K}, {"USB OTG HS", 0x40040000U, 0x40000U},  \
	/* AHB2 */                                                             \
	{"USB OTG FS", 0x50000000U, 0x40000U}, {"DCMI", 0x50050000U, K},       \
	{"CRYP", 0x50060000U, K}, {"HASH", 0x50060400U, K},                    \
	{"RNG", 0x50060800U, K},                                               \
	/* AHB3 */                                                             \
	{"FMC control", 0xA0000000U, 4 * K}, {"QUADSPI", 0xA0001000U, 4 * K}

const struct periph_space_entry periph_space_f74x[] = {F7_COMMON};
const unsigned periph_space_f74x_count =
	sizeof(periph_space_f74x) / sizeof(periph_space_f74x[0]);

/* RM0410 Table 1 adds CAN3, SDMMC2, DSI Host, DFSDM1, MDIOS and JPEG. */
const struct periph_space_entry periph_space_f76x[] = {
	F7_COMMON,
	{"CAN3", 0x40003400U, K},	{"SDMMC2", 0x40011C00U, K},
	{"DSI Host", 0x40016C00U, K},	{"DFSDM1", 0x40017400U, K},
	{"MDIOS", 0x40017800U, K},	{"JPEG", 0x50051000U, K},
};
const unsigned periph_space_f76x_count =
	sizeof(periph_space_f76x) / sizeof(periph_space_f76x[0]);
