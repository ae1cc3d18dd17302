/* The cost of a page fault on this machine (docs/performance.md): touch 400 MiB of fresh
 * anonymous memory, one byte per 4 KiB page, and print the time per page.
 *
 *   cc -O2 -o /tmp/page_faults benchmarks/page_faults.c && /tmp/page_faults
 *   /tmp/page_faults huge     # the same memory with transparent huge pages asked for
 */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

int main(int argc, char **argv) {
    (void)argv;
    size_t size = (size_t)400 << 20;
    int huge = argc > 1;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    if (huge)
        madvise(p, size, MADV_HUGEPAGE);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < size; i += 4096)
        p[i] = 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    double seconds = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("huge pages asked: %s; %.3f s, %.2f us per 4 KiB page\n", huge ? "yes" : "no", seconds,
           seconds / (size / 4096) * 1e6);
    return 0;
}
