#pragma once
// The heap in 2 MiB transparent huge pages, where the system has them (Linux, tcmalloc).
//
// Recording every flow makes the heap grow all the time (~2 KB per small flow: its encoding,
// its body, its entry), and every fresh 4 KiB page costs a page fault. On a virtual machine
// such a fault is expensive: 13.7 us on the 2-core benchmark VM (docs/benchmarks.md, session
// 9), ~6 us per flow at 0.48 faults per request, a tenth of what an intercepted HTTPS exchange
// costs. tcmalloc asks the system for memory in steps of 1 MiB or more; this hands it 2
// MiB-aligned mappings marked MADV_HUGEPAGE instead, so one fault maps 512 pages. Where huge
// pages are off ("never") the mappings simply stay in 4 KiB pages.
//
// Zeroing a fresh 2 MiB page takes milliseconds where the host backs guest memory on first
// touch, and a worker that does it stalls every connection it serves. So a thread at idle
// priority ("spyglass-heap") keeps two regions faulted in ahead of need, using CPU time
// nothing else wants. SPYGLASS_NO_HUGE_PAGES=1 in the environment turns all of this off.

namespace spyglass {

// Installs the huge-page system allocator under tcmalloc. Call first thing in main(), before
// any thread starts. A no-op in builds without tcmalloc and on other systems; returns whether
// it was installed.
bool useHugePageHeap();

} // namespace spyglass
