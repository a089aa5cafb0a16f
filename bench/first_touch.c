/* What first touching fresh anonymous memory costs on this machine, per byte, in 4 KiB pages and
 * in 2 MiB transparent huge pages (app/common/heap_reserve.h chose 4 KiB pages from this).
 *
 *   cc -O2 -o /tmp/first_touch bench/first_touch.c && /tmp/first_touch [MIB] [ROUNDS]
 *
 * Each round maps MIB MiB (default 256) twice, 2 MiB-aligned, one advised MADV_NOHUGEPAGE and
 * one MADV_HUGEPAGE, writes one byte per 4 KiB page of each and prints the time per byte; then
 * the same memory again after MADV_DONTNEED (memory this process just gave back, which the
 * kernel hands out again at once). On a virtual machine whose host backs guest memory on first
 * touch (and takes back what the guest reports free), the first figure of each pair is the
 * price of the memory a proxy keeps for every recorded flow. With THP off ("never") the huge
 * line measures 4 KiB pages too; the advice is printed beside it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double touch(volatile char *p, size_t size)
{
    double start = now();
    for (size_t i = 0; i < size; i += 4096)
        p[i] = 1;
    return (now() - start) * 1e9 / (double)size;
}

static void round_of(size_t size, int advice, const char *name)
{
    const size_t align = (size_t)2 << 20;
    char *raw = mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        perror("first_touch: mmap");
        exit(1);
    }
    char *p = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
    const int advised = madvise(p, size, advice) == 0;
    const double fresh = touch(p, size);
    madvise(p, size, MADV_DONTNEED);
    const double again = touch(p, size);
    printf("%-5s %zu MiB%s: fresh %.2f ns/byte, again after MADV_DONTNEED %.2f ns/byte\n", name,
           size >> 20, advised ? "" : " (advice refused)", fresh, again);
    munmap(raw, size + align);
}

int main(int argc, char **argv)
{
    const long mib = argc > 1 ? atol(argv[1]) : 256;
    const long rounds = argc > 2 ? atol(argv[2]) : 2;
    if (mib <= 0 || mib % 2 || rounds <= 0) {
        fprintf(stderr, "usage: first_touch [MIB (even, > 0)] [ROUNDS (> 0)]\n");
        return 2;
    }
    for (long r = 0; r < rounds; r++) {
        round_of((size_t)mib << 20, MADV_NOHUGEPAGE, "4k");
        round_of((size_t)mib << 20, MADV_HUGEPAGE, "huge");
    }
    return 0;
}
