/* SPDX-License-Identifier: MIT */
/* COM1 output, polled: the test harness reads the kernel's results from it. */
#include "bm.h"
#include "x86.h"

void serial_init(void)
{
    outb(COM1 + UART_IER, 0);                 /* no interrupts: we poll */
    outb(COM1 + UART_LCR, UART_LCR_DLAB);
    outb(COM1 + UART_DATA, 1);                /* divisor 1: 115200 baud */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, UART_LCR_8N1);
    outb(COM1 + UART_FCR, UART_FCR_ENABLE_CLEAR);
    outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
}

void serial_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & UART_LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Wait until the last byte has left the shift register: powering off earlier loses it. */
void serial_flush(void)
{
    while (!(inb(COM1 + UART_LSR) & UART_LSR_TRANSMITTER_EMPTY))
        ;
}
